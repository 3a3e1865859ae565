package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductLabels;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/** The embedded backend's {@link ProductLabels}: stored names and categories of live products. */
public final class LuceneLabels {
  private static final Set<String> FIELDS = Set.of(IndexSchema.NAME, IndexSchema.CATEGORIES_STORED);

  private LuceneLabels() {}

  /**
   * Hands the name and category paths of every live product document of {@code reader} to {@code
   * sink}.
   *
   * @param reader an index of {@link IndexSchema}'s layout
   */
  public static void forEach(IndexReader reader, Consumer<ProductLabels> sink) throws IOException {
    Term products = new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT);
    for (LeafReaderContext leaf : reader.leaves()) {
      PostingsEnum docs = leaf.reader().postings(products, PostingsEnum.NONE);
      if (docs == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      StoredFields stored = leaf.reader().storedFields();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if (live == null || live.get(doc)) {
          Document d = stored.document(doc, FIELDS);
          sink.accept(
              new ProductLabels(
                  d.get(IndexSchema.NAME), List.of(d.getValues(IndexSchema.CATEGORIES_STORED))));
        }
      }
    }
  }
}
