package dev.shopsearch.core.search;

import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/**
 * The embedded index's {@link ProductLabels}: the stored id, name, colour and category paths of
 * every live product document, in doc id order. The service's suggester and the indexer's fusion
 * calibration read them.
 */
public final class LuceneLabels {
  private static final Set<String> FIELDS =
      Set.of(
          IndexSchema.PRODUCT_ID,
          IndexSchema.NAME,
          IndexSchema.COLOUR_STORED,
          IndexSchema.CATEGORIES_STORED);

  private LuceneLabels() {}

  /**
   * Hands the labels of every live product document of {@code reader} to {@code sink}.
   *
   * @param reader an index of {@link IndexSchema}'s layout
   */
  public static void forEach(IndexReader reader, Consumer<ProductLabels> sink) throws IOException {
    forEach(reader, (labels, doc) -> sink.accept(labels));
  }

  /**
   * Hands the labels of every live product document of {@code reader} to {@code sink} with the
   * document's id in the reader (its top-level doc id), in doc id order.
   *
   * @param reader an index of {@link IndexSchema}'s layout
   */
  public static void forEach(IndexReader reader, ObjIntConsumer<ProductLabels> sink)
      throws IOException {
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
                  d.get(IndexSchema.PRODUCT_ID),
                  d.get(IndexSchema.NAME),
                  d.get(IndexSchema.COLOUR_STORED),
                  List.of(d.getValues(IndexSchema.CATEGORIES_STORED))),
              leaf.docBase + doc);
        }
      }
    }
  }
}
