package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The products of an open embedded generation, block by block (each product's image children
 * precede it): a live product with its live images' references and vectors. A product whose images
 * are all deleted or without a vector is left out.
 *
 * @param open the generation, open for the duration of {@link #forEach}
 */
public record IndexAuditedProducts(OpenIndex open) implements AuditedProducts {

  @Override
  public void forEach(Consumer<AuditedProduct> sink) throws IOException {
    IndexSearcher searcher = new IndexSearcher(open.reader());
    Weight parentsWeight =
        searcher.createWeight(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            ScoreMode.COMPLETE_NO_SCORES,
            1);
    for (LeafReaderContext leaf : open.reader().leaves()) {
      FloatVectorValues vectors = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      Scorer ps = parentsWeight.scorer(leaf);
      if (vectors == null || ps == null) {
        continue;
      }
      FixedBitSet parents = new FixedBitSet(leaf.reader().maxDoc());
      DocIdSetIterator pit = ps.iterator();
      for (int d = pit.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pit.nextDoc()) {
        parents.set(d);
      }
      Bits live = leaf.reader().getLiveDocs();
      StoredFields stored = leaf.reader().storedFields();
      KnnVectorValues.DocIndexIterator vit = vectors.iterator();
      List<String> refs = new ArrayList<>();
      List<float[]> vecs = new ArrayList<>();
      for (int d = vit.nextDoc(); ; ) {
        int parent =
            d == DocIdSetIterator.NO_MORE_DOCS || d + 1 >= parents.length()
                ? DocIdSetIterator.NO_MORE_DOCS
                : parents.nextSetBit(d + 1);
        if (d == DocIdSetIterator.NO_MORE_DOCS || parent == DocIdSetIterator.NO_MORE_DOCS) {
          break;
        }
        // collect all children of this parent
        while (d != DocIdSetIterator.NO_MORE_DOCS && d < parent) {
          if (live == null || live.get(d)) {
            refs.add(stored.document(d).get(IndexSchema.IMAGE_REF));
            vecs.add(vectors.vectorValue(vit.index()).clone());
          }
          d = vit.nextDoc();
        }
        if ((live == null || live.get(parent)) && !vecs.isEmpty()) {
          Document p = stored.document(parent);
          sink.accept(
              new AuditedProduct(
                  p.get(IndexSchema.PRODUCT_ID),
                  p.get(IndexSchema.NAME),
                  p.get(IndexSchema.DESCRIPTION),
                  refs,
                  vecs));
        }
        refs.clear();
        vecs.clear();
      }
    }
  }
}
