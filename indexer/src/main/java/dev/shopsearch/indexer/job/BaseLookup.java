package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The base generation's products: content hash by id (term lookups, nothing loaded up front), and
 * one bit per parent document for "still in the catalog and indexed".
 */
final class BaseLookup {
  private final IndexSearcher searcher;
  private final FixedBitSet kept;

  BaseLookup(DirectoryReader reader) {
    this.searcher = new IndexSearcher(reader);
    this.kept = new FixedBitSet(Math.max(1, reader.maxDoc()));
  }

  private int parentDoc(String id) throws IOException {
    BooleanQuery q =
        new BooleanQuery.Builder()
            .add(new TermQuery(ProductDocuments.idTerm(id)), BooleanClause.Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
                BooleanClause.Occur.FILTER)
            .build();
    TopDocs top = searcher.search(q, 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  /** True (and the product marked kept) when the base has it with the same content hash. */
  boolean unchanged(String id, String contentHash) throws IOException {
    int doc = parentDoc(id);
    if (doc < 0) {
      return false;
    }
    String old = searcher.storedFields().document(doc).get(IndexSchema.CONTENT_HASH);
    if (contentHash.equals(old)) {
      mark(doc);
      return true;
    }
    return false;
  }

  void keep(String id) throws IOException {
    int doc = parentDoc(id);
    if (doc >= 0) {
      mark(doc);
    }
  }

  private synchronized void mark(int doc) {
    kept.set(doc);
  }

  /** Ids of base products neither unchanged nor rewritten: deleted or now rejected. */
  synchronized List<String> notKept() throws IOException {
    List<String> ids = new ArrayList<>();
    Weight weight =
        searcher.createWeight(
            searcher.rewrite(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT))),
            ScoreMode.COMPLETE_NO_SCORES,
            1);
    StoredFields stored = searcher.storedFields();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator it = scorer.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        int doc = leaf.docBase + d;
        if ((live == null || live.get(d)) && !kept.get(doc)) {
          ids.add(stored.document(doc).get(IndexSchema.PRODUCT_ID));
        }
      }
    }
    return ids;
  }
}
