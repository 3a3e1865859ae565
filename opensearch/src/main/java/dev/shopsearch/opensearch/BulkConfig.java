package dev.shopsearch.opensearch;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the bulk writer sends documents.
 *
 * @param batchSize documents per {@code _bulk} request, in [1, 10000]
 * @param concurrency {@code _bulk} requests in flight at once, in [1, 64]
 * @param maxRetries retries of a request or of its failed items on 429/5xx/no answer, in [0, 20]
 * @param initialBackoff pause before the first retry; doubled each retry, capped at {@code
 *     maxBackoff}
 * @param maxBackoff the longest pause between retries
 */
public record BulkConfig(
    int batchSize, int concurrency, int maxRetries, Duration initialBackoff, Duration maxBackoff) {
  public BulkConfig {
    check("batchSize", batchSize, 1, 10_000);
    check("concurrency", concurrency, 1, 64);
    check("maxRetries", maxRetries, 0, 20);
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff; initialBackoff="
              + initialBackoff
              + " maxBackoff="
              + maxBackoff);
    }
  }

  /** 500 documents per request, 2 in flight, 5 retries from 200 ms up to 5 s. */
  public static final BulkConfig DEFAULT =
      new BulkConfig(500, 2, 5, Duration.ofMillis(200), Duration.ofSeconds(5));

  /** The pause before retry number {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%d, %d]; %s=%d", name, min, max, name, value));
    }
  }
}
