package dev.shopsearch.indexer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.ProductText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Image–text consistency audit over a generation, whichever backend holds it ({@link
 * AuditedProducts}): for each product, the cosine between the text embedding of its name and
 * description and each of its indexed image vectors. Reports the score distribution and writes one
 * row per image, lowest score first, flagged below the threshold.
 *
 * <p>Memory: one small row (id, image, score) per image is kept for sorting.
 *
 * @param threshold absolute cosine or percentile
 * @param batchSize texts per encoder call
 */
public record ConsistencyAuditor(AuditThreshold threshold, int batchSize) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One audited image. */
  public record Row(String id, String image, String name, float score) {}

  /** Rows by score, ties by id then image: the same order on every backend. */
  static final Comparator<Row> ORDER =
      Comparator.comparingDouble(Row::score)
          .thenComparing(Row::id, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Row::image, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** Summary of an audit. */
  public record Result(
      String generation,
      long products,
      long images,
      long productsWithoutText,
      String threshold,
      double cutoff,
      long flaggedImages,
      long flaggedProducts,
      Map<String, Double> distribution,
      List<long[]> histogram,
      String output,
      double seconds) {}

  /**
   * Audits the products of generation {@code generation} and writes the rows to {@code out} (JSONL,
   * or CSV when the name ends with {@code .csv}); {@code out} may be {@code null}. Rows are sorted
   * by score, ties by product id then image reference, whatever order {@code products} yields them
   * in.
   *
   * @param generation the generation's name, as reported
   * @param products the generation's products, each with at least one image vector; one whose text
   *     ({@link ProductText}) is blank is counted, not scored
   */
  public Result audit(String generation, AuditedProducts products, TextEncoder text, Path out)
      throws IOException {
    long start = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    long[] counts = new long[2]; // products, products without text
    List<Pending> batch = new ArrayList<>();
    products.forEach(
        p -> {
          counts[0]++;
          String t = ProductText.of(p.name(), p.description());
          if (t.isBlank()) {
            counts[1]++;
            return;
          }
          batch.add(new Pending(p, t));
          if (batch.size() >= batchSize) {
            score(batch, text, rows);
          }
        });
    if (!batch.isEmpty()) {
      score(batch, text, rows);
    }
    rows.sort(ORDER);
    float[] sorted = new float[rows.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = rows.get(i).score();
    }
    double cutoff = threshold.resolve(sorted);
    Map<String, Float> bestByProduct = new HashMap<>();
    long flaggedImages = 0;
    for (Row r : rows) {
      bestByProduct.merge(r.id(), r.score(), Math::max);
      if (r.score() < cutoff) {
        flaggedImages++;
      }
    }
    long flaggedProducts = bestByProduct.values().stream().filter(s -> s < cutoff).count();
    if (out != null) {
      write(rows, cutoff, out);
    }
    return new Result(
        generation,
        counts[0],
        rows.size(),
        counts[1],
        threshold.toString(),
        cutoff,
        flaggedImages,
        flaggedProducts,
        distribution(sorted),
        histogram(sorted, 20),
        out == null ? null : out.toString(),
        (System.nanoTime() - start) / 1e9);
  }

  private record Pending(AuditedProduct product, String text) {}

  private static void score(List<Pending> batch, TextEncoder text, List<Row> rows) {
    List<float[]> t = text.encode(batch.stream().map(Pending::text).toList());
    for (int i = 0; i < batch.size(); i++) {
      AuditedProduct p = batch.get(i).product();
      for (int j = 0; j < p.vectors().size(); j++) {
        rows.add(
            new Row(p.id(), p.imageRefs().get(j), p.name(), cosine(t.get(i), p.vectors().get(j))));
      }
    }
    batch.clear();
  }

  static float cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : (float) (dot / Math.sqrt(na * nb));
  }

  static Map<String, Double> distribution(float[] sorted) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (sorted.length == 0) {
      return m;
    }
    double sum = 0;
    for (float s : sorted) {
      sum += s;
    }
    m.put("min", (double) sorted[0]);
    for (double p : new double[] {1, 5, 10, 25, 50, 75, 90, 95, 99}) {
      m.put(String.format(Locale.ROOT, "p%d", (int) p), AuditThreshold.percentile(sorted, p));
    }
    m.put("max", (double) sorted[sorted.length - 1]);
    m.put("mean", sum / sorted.length);
    return m;
  }

  /** {@code bins} equal-width bins over [min, max]: each entry {lowMillis, count}. */
  static List<long[]> histogram(float[] sorted, int bins) {
    List<long[]> out = new ArrayList<>();
    if (sorted.length == 0) {
      return out;
    }
    double lo = sorted[0];
    double width = Math.max(1e-6, (sorted[sorted.length - 1] - lo) / bins);
    long[] counts = new long[bins];
    for (float s : sorted) {
      counts[(int) Math.min(bins - 1, (s - lo) / width)]++;
    }
    for (int i = 0; i < bins; i++) {
      out.add(new long[] {Math.round((lo + i * width) * 1000), counts[i]});
    }
    return out;
  }

  private static void write(List<Row> rows, double cutoff, Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean csv = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      if (csv) {
        w.write("id,image,score,flagged,name\n");
      }
      for (Row r : rows) {
        boolean flagged = r.score() < cutoff;
        if (csv) {
          w.write(
              String.join(
                  ",",
                  csvField(r.id()),
                  csvField(r.image()),
                  String.format(Locale.ROOT, "%.6f", r.score()),
                  Boolean.toString(flagged),
                  csvField(r.name())));
        } else {
          ObjectNode n = JSON.createObjectNode();
          n.put("id", r.id());
          n.put("image", r.image());
          n.put("score", r.score());
          n.put("flagged", flagged);
          n.put("name", r.name());
          w.write(JSON.writeValueAsString(n));
        }
        w.write('\n');
      }
    }
  }

  static String csvField(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
