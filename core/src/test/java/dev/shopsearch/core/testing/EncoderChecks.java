package dev.shopsearch.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/** Checks shared by the encoder contract test cases (package-private). */
final class EncoderChecks {
  /** How far a returned vector's L2 norm may be from 1. */
  static final double UNIT_NORM_TOLERANCE = 1e-4;

  private EncoderChecks() {}

  /** {@code vectors} has one finite, unit-norm {@code dim}-float vector per input. */
  static void assertUnitVectors(List<float[]> vectors, int inputs, int dim, String what) {
    assertThat(vectors).as("%s: one vector per input", what).hasSize(inputs);
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      assertThat(v).as("%s: vector %d", what, i).isNotNull().hasSize(dim);
      double squares = 0;
      for (float x : v) {
        assertThat(Float.isFinite(x)).as("%s: vector %d is finite", what, i).isTrue();
        squares += (double) x * x;
      }
      assertThat(Math.sqrt(squares))
          .as("%s: vector %d has unit L2 norm", what, i)
          .isCloseTo(1.0, within(UNIT_NORM_TOLERANCE));
    }
  }

  /** Element-wise equality within {@code tolerance}. */
  static void assertClose(float[] actual, float[] expected, float tolerance, String what) {
    assertThat(actual).as(what).containsExactly(expected, within(tolerance));
  }

  /**
   * Runs {@code threads} workers at once (released together), worker {@code t} calling {@code
   * work.apply(t)}; rethrows the first failure. No time limit: a slow machine only takes longer.
   */
  static void concurrently(int threads, Function<Integer, Void> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return work.apply(worker);
                }));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw (Exception) e.getCause();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A fresh temporary directory for an encoder's files. */
  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and everything under it (best effort). */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
