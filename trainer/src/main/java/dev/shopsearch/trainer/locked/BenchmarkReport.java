package dev.shopsearch.trainer.locked;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.trainer.train.Recall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one {@link LockedBenchmark} run, written as {@code report.json} and {@code
 * report.md}.
 *
 * @param command the arguments the benchmark ran with
 * @param machine cores, CPU, OS, JVM
 * @param date ISO-8601 start time (UTC)
 * @param split example counts: train, dev (early stopping), validation (the gallery)
 * @param featureCache cache hits and computed features
 * @param seconds wall seconds per phase and in total
 * @param peakRssMb the process's peak resident set size (VmHWM), MiB
 * @param before validation scores of the initial heads
 * @param after validation scores of the trained heads
 * @param bestEpoch the epoch whose heads were kept
 * @param epochLoss mean training loss per epoch
 * @param devR10 dev-split mean R@10 (both directions) per epoch
 * @param heads the head configuration
 * @param training the training configuration
 */
public record BenchmarkReport(
    List<String> command,
    Map<String, Object> machine,
    String date,
    Map<String, Integer> split,
    Map<String, Long> featureCache,
    Map<String, Double> seconds,
    long peakRssMb,
    Scores before,
    Scores after,
    int bestEpoch,
    List<Double> epochLoss,
    List<Double> devR10,
    LockedHeads.Config heads,
    LockedTrainer.Config training) {

  /**
   * Validation scores.
   *
   * @param caption caption→image and image→caption recall, query = the product name
   * @param attributes attribute-query P@10/nDCG@10 over every (gender, colour, category) query
   * @param attributes10 the same over queries with at least 10 relevant photos
   */
  public record Scores(
      Recall caption, AttributeQueries.Scores attributes, AttributeQueries.Scores attributes10) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes {@code report.json} and {@code report.md} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("report.json").toFile(), this);
    Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
  }

  /** A markdown summary: the results table, then split, timings and configuration. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("## Locked towers benchmark, ").append(date).append("\n\n");
    sb.append("Validation gallery: ")
        .append(after.caption().n())
        .append(" photos; caption query = the product name, target = its photo.\n\n");
    sb.append("| heads | t2i R@1 | t2i R@5 | t2i R@10 | i2t R@1 | i2t R@5 | i2t R@10 |")
        .append(" attr P@10 | attr nDCG@10 | attr P@10 (>=10 rel.) | attr nDCG@10 (>=10 rel.) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    row(sb, "before (initial heads)", before);
    row(sb, "after (epoch " + bestEpoch + ")", after);
    sb.append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "Attribute queries: %d (all), %d with >= 10 relevant photos.%n%n",
            after.attributes().queries(),
            after.attributes10().queries()));
    sb.append("- split: ").append(split).append('\n');
    sb.append("- feature cache: ").append(featureCache).append('\n');
    sb.append("- wall seconds: ").append(fmt(seconds)).append('\n');
    sb.append("- peak RSS: ").append(peakRssMb).append(" MiB\n");
    sb.append("- machine: ").append(machine).append('\n');
    sb.append("- heads: ").append(heads).append('\n');
    sb.append("- training: ").append(training).append('\n');
    sb.append("- epochs run: ")
        .append(epochLoss.size())
        .append(", best ")
        .append(bestEpoch)
        .append('\n');
    sb.append("- command: `").append(String.join(" ", command)).append("`\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, Scores s) {
    Recall r = s.caption();
    sb.append(
        String.format(
            Locale.ROOT,
            "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
            label,
            r.t2i1(),
            r.t2i5(),
            r.t2i10(),
            r.i2t1(),
            r.i2t5(),
            r.i2t10(),
            s.attributes().precision(),
            s.attributes().ndcg(),
            s.attributes10().precision(),
            s.attributes10().ndcg()));
  }

  private static String fmt(Map<String, Double> seconds) {
    StringBuilder sb = new StringBuilder();
    seconds.forEach(
        (k, v) ->
            sb.append(sb.isEmpty() ? "" : ", ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.1f", v)));
    return sb.toString();
  }
}
