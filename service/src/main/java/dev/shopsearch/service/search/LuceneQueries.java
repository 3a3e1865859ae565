package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalQuery;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Builds the Lucene queries of a search from {@link IndexSchema} field names: the filter (used as
 * the kNN child pre-filter and on BM25 parents) and the BM25 query, which is core's {@link
 * LexicalQuery} (the one {@code indexer calibrate} measures) over the product documents that pass
 * the filters. Thread-safe.
 */
public final class LuceneQueries {
  private final LexicalQuery lexical = new LexicalQuery();

  /**
   * The pre-filter for a kNN search over image children: {@code null} when {@code filters} is
   * empty, else {@link #filtered filtered(TYPE_IMAGE, filters)}. Only image children carry vectors
   * ({@code IndexSchema}), so an unfiltered search needs no filter, and any filter makes Lucene
   * collect every matching document into a bit set per query and per segment: measured on 1M
   * images, the kNN (diversified, 200 candidates, int7 + rescoring) took 6.4 ms with the {@code
   * doc_type:image} filter alone and 0.64 ms without it (docs/benchmarks.md).
   */
  public static Query knnFilter(SearchFilters filters) {
    return filters.isEmpty() ? null : filtered(IndexSchema.TYPE_IMAGE, filters);
  }

  /** {@code doc_type:type} AND the filters. */
  public static Query filtered(String docType, SearchFilters filters) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new TermQuery(new Term(IndexSchema.DOC_TYPE, docType)), Occur.FILTER);
    addFilters(b, filters);
    return b.build();
  }

  /** The filter clauses for children or parents (the fields are on both). */
  static void addFilters(BooleanQuery.Builder b, SearchFilters f) {
    anyOf(b, IndexSchema.CATEGORY, f.categories());
    anyOf(b, IndexSchema.COLOUR, f.colours());
    if (f.minPrice() != null || f.maxPrice() != null) {
      double lo = f.minPrice() == null ? Double.NEGATIVE_INFINITY : f.minPrice();
      double hi = f.maxPrice() == null ? Double.POSITIVE_INFINITY : f.maxPrice();
      b.add(DoublePoint.newRangeQuery(IndexSchema.PRICE, lo, hi), Occur.FILTER);
    }
    if (f.inStock() != null) {
      b.add(new TermQuery(new Term(IndexSchema.IN_STOCK, f.inStock().toString())), Occur.FILTER);
    }
    for (Map.Entry<String, List<String>> e : f.attributes().entrySet()) {
      anyOf(b, IndexSchema.ATTR_PREFIX + e.getKey(), e.getValue());
    }
  }

  private static void anyOf(BooleanQuery.Builder b, String field, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    if (values.size() == 1) {
      b.add(new TermQuery(new Term(field, values.get(0))), Occur.FILTER);
      return;
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String v : values) {
      any.add(new TermQuery(new Term(field, v)), Occur.SHOULD);
    }
    b.add(any.build(), Occur.FILTER);
  }

  /**
   * BM25 over the lexical fields of product documents that pass the filters.
   *
   * @param text the query text
   * @param filters the filters
   * @param index the searched index: its schema version picks the fields and the analysis
   * @return the query, or null when the text has no indexable term
   */
  public Query lexical(String text, SearchFilters filters, IndexMetadata index) {
    return lexical.build(text, filtered(IndexSchema.TYPE_PRODUCT, filters), index);
  }
}
