package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * Builds the Lucene queries of a search from {@link IndexSchema} field names: the filter (used as
 * the kNN child pre-filter and on BM25 parents) and the BM25 query over name (boost 2), categories
 * (1.5), description (1) and attribute text (1), each English field with its CJK twin at the same
 * boost, the query analysed with {@link LexicalAnalysis#querying()}. An index of schema version 1
 * (no twins, Han text indexed character by character) is queried as it was built: with Lucene's
 * standard analyzer over name, categories and description. Thread-safe.
 */
public final class LuceneQueries {
  /** A lexical field and its BM25 boost. */
  private record Boosted(String field, float boost) {}

  /** The English lexical fields; schema version 1 has the first three only. */
  private static final List<Boosted> ENGLISH =
      List.of(
          new Boosted(IndexSchema.NAME, 2f),
          new Boosted(IndexSchema.CATEGORIES_TEXT, 1.5f),
          new Boosted(IndexSchema.DESCRIPTION, 1f),
          new Boosted(IndexSchema.ATTRIBUTES_TEXT, 1f));

  /**
   * The English fields, then their CJK twins at the same boosts (for text with a CJK character).
   */
  private static final List<Boosted> FIELDS = withCjkTwins(ENGLISH);

  private static final List<Boosted> LEGACY_FIELDS = ENGLISH.subList(0, 3);

  private final QueryBuilder builder = new QueryBuilder(LexicalAnalysis.querying());
  private final QueryBuilder legacy = new QueryBuilder(new StandardAnalyzer());

  private static List<Boosted> withCjkTwins(List<Boosted> english) {
    List<Boosted> all = new ArrayList<>(english);
    for (Boosted b : english) {
      all.add(new Boosted(IndexSchema.CJK_TWINS.get(b.field()), b.boost()));
    }
    return List.copyOf(all);
  }

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
    boolean current = index.hasLexicalFields();
    QueryBuilder analysis = current ? builder : legacy;
    BooleanQuery.Builder match = new BooleanQuery.Builder();
    boolean any = false;
    for (Boosted f : current ? (LexicalAnalysis.hasCjk(text) ? FIELDS : ENGLISH) : LEGACY_FIELDS) {
      any |= addField(match, analysis, f.field(), text, f.boost());
    }
    if (!any) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(match.build(), Occur.MUST);
    b.add(filtered(IndexSchema.TYPE_PRODUCT, filters), Occur.FILTER);
    return b.build();
  }

  private static boolean addField(
      BooleanQuery.Builder match, QueryBuilder analysis, String field, String text, float boost) {
    Query q = analysis.createBooleanQuery(field, text, Occur.SHOULD);
    if (q == null) {
      return false;
    }
    match.add(boost == 1f ? q : new BoostQuery(q, boost), Occur.SHOULD);
    return true;
  }
}
