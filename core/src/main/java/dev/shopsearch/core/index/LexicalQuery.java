package dev.shopsearch.core.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;

/**
 * The BM25 query of a search, in one place so that the service and whatever measures or calibrates
 * search quality ({@code indexer calibrate}) run the same one: name (boost 2), categories (1.5),
 * description (1) and attribute text (1), each English field with its CJK twin at the same boost,
 * the text analysed with {@link LexicalAnalysis#querying()}. An index of schema version 1 (no
 * twins, Han text indexed character by character) is queried as it was built: with Lucene's
 * standard analyzer over name, categories and description. Thread-safe.
 */
public final class LexicalQuery {
  /**
   * A lexical field and its BM25 boost.
   *
   * @param field a field of {@link IndexSchema}
   * @param boost its score multiplier
   */
  public record Boosted(String field, float boost) {}

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
   * The fields (with boosts) a query of {@code text} searches in an index with lexical fields
   * (schema version 2 and later): the English fields, and their CJK twins when the text has a CJK
   * character ({@link LexicalAnalysis#hasCjk}). Each field's terms are the text analysed with
   * {@link LexicalAnalysis#querying()}, one SHOULD clause each; the fields' scores add up. Another
   * engine reproduces this query from here (the OpenSearch backend: one {@code match} per field).
   */
  public static List<Boosted> fields(String text) {
    return LexicalAnalysis.hasCjk(text) ? FIELDS : ENGLISH;
  }

  /**
   * BM25 over the lexical fields of the documents that pass {@code filter}.
   *
   * @param text the query text
   * @param filter the documents searched (e.g. {@code doc_type:product} and the search's filters)
   * @param index the searched index: its schema version picks the fields and the analysis
   * @return the query, or null when the text has no indexable term
   */
  public Query build(String text, Query filter, IndexMetadata index) {
    boolean current = index.hasLexicalFields();
    QueryBuilder analysis = current ? builder : legacy;
    BooleanQuery.Builder match = new BooleanQuery.Builder();
    boolean any = false;
    for (Boosted f : current ? fields(text) : LEGACY_FIELDS) {
      any |= addField(match, analysis, f.field(), text, f.boost());
    }
    if (!any) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(match.build(), Occur.MUST);
    b.add(filter, Occur.FILTER);
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
