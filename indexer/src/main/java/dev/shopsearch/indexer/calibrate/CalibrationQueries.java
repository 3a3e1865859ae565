package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.catalog.CategoryPath;
import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Judged queries made from the products of an index (its own catalog rows, as indexed):
 *
 * <ul>
 *   <li>{@code name}: a product's name; relevant = every product with that name (case-insensitive;
 *       colour variants often share one). Split by the product id.
 *   <li>{@code attributes}: for each category path {@code A / … / Z} and colour of a product,
 *       {@code "<colour> <Z>"} and, for paths of two or more levels, {@code "<A> <colour> <Z>"}
 *       (e.g. {@code "navy blue topwear"}, {@code "men navy blue topwear"}); relevant = every
 *       product with that colour and a path with those levels. Split by the query text, so one
 *       query is never on both sides.
 * </ul>
 *
 * Each half is capped at {@code maxQueries}, taking queries in the order of their split hash (a
 * seeded, catalog-order-free sample), names and attribute queries in proportion.
 */
public final class CalibrationQueries {
  /**
   * The two halves.
   *
   * @param calibration queries the weights are chosen on
   * @param heldOut queries the choice is reported on
   */
  public record Halves(List<JudgedQuery> calibration, List<JudgedQuery> heldOut) {}

  private final SeededSplit split;
  private final int maxQueries;

  /**
   * @param split the seeded split
   * @param maxQueries most queries per half (at least 1)
   */
  public CalibrationQueries(SeededSplit split, int maxQueries) {
    if (maxQueries < 1) {
      throw new IllegalArgumentException("max queries must be >= 1; got " + maxQueries);
    }
    this.split = split;
    this.maxQueries = maxQueries;
  }

  private record Candidate(String key, JudgedQuery query) {}

  /** Reads every live product of the index and makes the two halves. */
  public Halves make(IndexReader reader) throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    TermQuery products = new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT));
    TopDocs all = searcher.search(products, Math.max(1, reader.numDocs()));
    StoredFields stored = reader.storedFields();
    Set<String> fields =
        Set.of(
            IndexSchema.PRODUCT_ID,
            IndexSchema.NAME,
            IndexSchema.COLOUR_STORED,
            IndexSchema.CATEGORIES_STORED);
    Map<String, Set<Integer>> byName = new HashMap<>();
    Map<String, String> firstIdOfName = new HashMap<>();
    Map<String, Set<Integer>> byAttributes = new LinkedHashMap<>();
    List<ScoreDoc> docs = new ArrayList<>(List.of(all.scoreDocs));
    docs.sort(Comparator.comparingInt(sd -> sd.doc));
    for (ScoreDoc sd : docs) {
      Document d = stored.document(sd.doc, fields);
      String id = d.get(IndexSchema.PRODUCT_ID);
      String name = d.get(IndexSchema.NAME);
      if (name != null && !name.isBlank()) {
        String key = normalise(name);
        byName.computeIfAbsent(key, x -> new HashSet<>()).add(sd.doc);
        firstIdOfName.putIfAbsent(key, id);
      }
      String colour = d.get(IndexSchema.COLOUR_STORED);
      if (colour == null || colour.isBlank()) {
        continue;
      }
      for (String path : d.getValues(IndexSchema.CATEGORIES_STORED)) {
        List<String> levels = CategoryPath.levels(path);
        if (levels.isEmpty()) {
          continue;
        }
        String last = levels.get(levels.size() - 1);
        add(byAttributes, colour + " " + last, sd.doc);
        if (levels.size() >= 2) {
          add(byAttributes, levels.get(0) + " " + colour + " " + last, sd.doc);
        }
      }
    }
    List<Candidate> names = new ArrayList<>();
    byName.forEach(
        (key, relevant) ->
            names.add(
                new Candidate(firstIdOfName.get(key), new JudgedQuery(key, "name", relevant))));
    List<Candidate> attributes = new ArrayList<>();
    byAttributes.forEach(
        (text, relevant) ->
            attributes.add(new Candidate(text, new JudgedQuery(text, "attributes", relevant))));
    return new Halves(half(names, attributes, false), half(names, attributes, true));
  }

  private List<JudgedQuery> half(
      List<Candidate> names, List<Candidate> attributes, boolean heldOut) {
    List<Candidate> n = side(names, heldOut);
    List<Candidate> a = side(attributes, heldOut);
    int total = n.size() + a.size();
    int takeNames = total <= maxQueries ? n.size() : (int) ((long) maxQueries * n.size() / total);
    int takeAttributes = Math.min(a.size(), maxQueries - takeNames);
    List<JudgedQuery> out = new ArrayList<>();
    n.subList(0, takeNames).forEach(c -> out.add(c.query()));
    a.subList(0, takeAttributes).forEach(c -> out.add(c.query()));
    return out;
  }

  private List<Candidate> side(List<Candidate> all, boolean heldOut) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : all) {
      if (split.heldOut(c.key()) == heldOut) {
        out.add(c);
      }
    }
    out.sort(
        Comparator.comparingDouble((Candidate c) -> split.bucket("order:" + c.key()))
            .thenComparing(Candidate::key));
    return out;
  }

  private static void add(Map<String, Set<Integer>> m, String text, int doc) {
    m.computeIfAbsent(normalise(text), x -> new HashSet<>()).add(doc);
  }

  /** Lower case, single spaces. */
  static String normalise(String text) {
    return text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
