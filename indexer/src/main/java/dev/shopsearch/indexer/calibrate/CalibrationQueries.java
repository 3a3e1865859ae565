package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.catalog.CategoryPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judged queries made from the products of a generation (its own catalog rows, as indexed), on any
 * backend ({@link CalibrationSource#forEachProduct}):
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

  /** Reads every product of the source and makes the two halves. */
  public Halves make(CalibrationSource source) throws IOException {
    Map<String, Set<Integer>> byName = new HashMap<>();
    Map<String, String> firstIdOfName = new HashMap<>();
    Map<String, Set<Integer>> byAttributes = new HashMap<>();
    source.forEachProduct(
        (labels, key) -> {
          String name = labels.name();
          if (name != null && !name.isBlank()) {
            String normal = normalise(name);
            byName.computeIfAbsent(normal, x -> new HashSet<>()).add(key);
            // the split key of a shared name: its smallest product id, whatever the read order
            firstIdOfName.merge(normal, labels.productId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          }
          String colour = labels.colour();
          if (colour == null || colour.isBlank()) {
            return;
          }
          for (String path : labels.categoryPaths()) {
            List<String> levels = CategoryPath.levels(path);
            if (levels.isEmpty()) {
              continue;
            }
            String last = levels.get(levels.size() - 1);
            add(byAttributes, colour + " " + last, key);
            if (levels.size() >= 2) {
              add(byAttributes, levels.get(0) + " " + colour + " " + last, key);
            }
          }
        });
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
