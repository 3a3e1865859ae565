package dev.shopsearch.indexer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
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
 * Image–text consistency audit over an index: for each product, the cosine between the text
 * embedding of its name and description and each of its indexed image vectors. Reports the score
 * distribution and writes one row per image, lowest score first, flagged below the threshold.
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
   * Audits an open index and writes the rows to {@code out} (JSONL, or CSV when the name ends with
   * {@code .csv}); {@code out} may be {@code null}.
   */
  public Result audit(OpenIndex open, TextEncoder text, Path out) throws IOException {
    long start = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    long[] counts = new long[2]; // products, products without text
    IndexSearcher searcher = new IndexSearcher(open.reader());
    Weight parentsWeight =
        searcher.createWeight(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            ScoreMode.COMPLETE_NO_SCORES,
            1);
    List<Pending> batch = new ArrayList<>();
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
          counts[0]++;
          String t = ProductText.of(p.get(IndexSchema.NAME), p.get(IndexSchema.DESCRIPTION));
          if (t.isBlank()) {
            counts[1]++;
          } else {
            batch.add(
                new Pending(
                    p.get(IndexSchema.PRODUCT_ID),
                    p.get(IndexSchema.NAME),
                    t,
                    List.copyOf(refs),
                    List.copyOf(vecs)));
            if (batch.size() >= batchSize) {
              score(batch, text, rows);
            }
          }
        }
        refs.clear();
        vecs.clear();
      }
    }
    if (!batch.isEmpty()) {
      score(batch, text, rows);
    }
    rows.sort(Comparator.comparingDouble(Row::score));
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
        open.generation().name(),
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

  private record Pending(
      String id, String name, String text, List<String> refs, List<float[]> vectors) {}

  private static void score(List<Pending> batch, TextEncoder text, List<Row> rows) {
    List<float[]> t = text.encode(batch.stream().map(Pending::text).toList());
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      for (int j = 0; j < p.vectors().size(); j++) {
        rows.add(new Row(p.id(), p.refs().get(j), p.name(), cosine(t.get(i), p.vectors().get(j))));
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
