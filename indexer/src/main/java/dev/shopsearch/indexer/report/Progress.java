package dev.shopsearch.indexer.report;

import dev.shopsearch.indexer.pipeline.PipelineStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports progress while a pipeline runs: on a terminal a progress bar redrawn on stderr every
 * second (items/s, ETA, rejects); otherwise a log line every {@code logEvery}.
 */
public final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final PipelineStats stats;
  private final RejectLog rejects;
  private final long totalEstimate;
  private final boolean terminal;
  private final PrintStream err;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param totalEstimate expected number of catalog rows, or 0 when unknown
   * @param terminal draw a bar (true) or log lines (false)
   * @param logEvery interval between log lines (bar: fixed 1 s)
   */
  public Progress(
      PipelineStats stats,
      RejectLog rejects,
      long totalEstimate,
      boolean terminal,
      Duration logEvery,
      PrintStream err) {
    this.stats = stats;
    this.rejects = rejects;
    this.totalEstimate = totalEstimate;
    this.terminal = terminal;
    this.err = err;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "indexer-progress");
              t.setDaemon(true);
              return t;
            });
    long period = terminal ? 1000 : Math.max(100, logEvery.toMillis());
    timer.scheduleAtFixedRate(this::report, period, period, TimeUnit.MILLISECONDS);
  }

  /** Whether stderr looks like an interactive terminal. */
  public static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Console.isTerminal() exists from Java 22; on 21 a non-null console means a terminal.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** The current status line. */
  public String line() {
    double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long done =
        stats.productsWritten.get() + stats.productsUnchanged.get() + rejects.productRejects();
    long images = stats.imagesIndexed.get();
    double rate = done / secs;
    String eta = "?";
    String pct = "";
    if (totalEstimate > 0 && done > 0) {
      long left = Math.max(0, totalEstimate - done);
      eta = formatDuration((long) (left / Math.max(rate, 1e-9)));
      pct = String.format(Locale.ROOT, " %3d%%", Math.min(100, done * 100 / totalEstimate));
    }
    return String.format(
        Locale.ROOT,
        "%s%s %d%s products  %.1f products/s  %.1f img/s  cache hits %d  rejects %d  ETA %s",
        bar(done),
        pct,
        done,
        totalEstimate > 0 ? "/" + totalEstimate : "",
        rate,
        images / secs,
        stats.cacheHits.get(),
        rejects.productRejects() + rejects.imageRejects(),
        eta);
  }

  private String bar(long done) {
    if (!terminal || totalEstimate <= 0) {
      return "";
    }
    int width = 24;
    int filled = (int) Math.min(width, done * width / totalEstimate);
    return "[" + "=".repeat(filled) + " ".repeat(width - filled) + "]";
  }

  private void report() {
    try {
      if (terminal) {
        err.print("\r" + line() + "   ");
        err.flush();
      } else {
        LOG.info(line());
      }
    } catch (RuntimeException e) {
      LOG.debug("progress report failed", e);
    }
  }

  static String formatDuration(long seconds) {
    return String.format(
        Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    if (terminal) {
      err.println("\r" + line() + "   ");
    } else {
      LOG.info(line());
    }
  }
}
