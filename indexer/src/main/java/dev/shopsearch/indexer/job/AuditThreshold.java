package dev.shopsearch.indexer.job;

import java.util.Arrays;
import java.util.Locale;

/**
 * The text–image consistency threshold: an absolute cosine ({@code 0.35}) or a percentile of the
 * observed scores ({@code p5} flags the lowest 5%).
 *
 * @param value the cosine, or the percentile in (0, 100)
 * @param percentile whether {@code value} is a percentile
 */
public record AuditThreshold(double value, boolean percentile) {
  public AuditThreshold {
    if (percentile && !(value > 0 && value < 100)) {
      throw new IllegalArgumentException("percentile threshold must be in (0, 100); p=" + value);
    }
    if (!percentile && !(value >= -1 && value <= 1)) {
      throw new IllegalArgumentException("cosine threshold must be in [-1, 1]; threshold=" + value);
    }
  }

  /**
   * Parses {@code 0.35} or {@code p5} / {@code 5%}.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static AuditThreshold parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return new AuditThreshold(Double.parseDouble(t.substring(1)), true);
      }
      if (t.endsWith("%")) {
        return new AuditThreshold(Double.parseDouble(t.substring(0, t.length() - 1)), true);
      }
      return new AuditThreshold(Double.parseDouble(t), false);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "threshold '" + text + "' is neither a cosine like 0.35 nor a percentile like p5");
    }
  }

  /** The cosine cut-off for the given scores (sorted ascending). */
  public double resolve(float[] sortedScores) {
    if (!percentile) {
      return value;
    }
    return percentile(sortedScores, value);
  }

  /** Nearest-rank percentile of ascending scores; NaN when empty. */
  static double percentile(float[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  static float[] sortedCopy(float[] scores) {
    float[] s = scores.clone();
    Arrays.sort(s);
    return s;
  }

  @Override
  public String toString() {
    return percentile ? "p" + value : Double.toString(value);
  }
}
