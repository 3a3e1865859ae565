package dev.shopsearch.service.search;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.PoolLoad;
import dev.shopsearch.service.overload.ServiceTimeWindow;
import dev.shopsearch.service.overload.ShedReason;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the Lucene part of searches on {@code overload.search-threads} platform threads (default:
 * one per core). Request virtual threads only wait for the result, at most until their deadline:
 * CPU-bound kNN work on the virtual-thread carriers would otherwise starve request handling and
 * admission control under overload, so that requests queue invisibly instead of being shed. A task
 * still queued at its deadline is cancelled and never runs; one that queued and reaches a thread
 * with less time left than a search takes ({@link PoolLoad}) is skipped. Thread-safe.
 */
public final class SearchExecutor implements AutoCloseable {
  private final ExecutorService pool;
  private final int threads;
  private final ServiceTimeWindow searchTimes;
  private final PoolLoad load;

  public SearchExecutor(OverloadProperties settings) {
    this(settings, NanoClock.SYSTEM);
  }

  /**
   * @param clock time source of the search-duration estimate (the deadlines' clock)
   */
  public SearchExecutor(OverloadProperties settings, NanoClock clock) {
    int configured = settings.searchThreads();
    this.threads = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    this.pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("searcher-", 0).factory());
    this.searchTimes = new ServiceTimeWindow(settings.estimateWindow(), clock);
    this.load = new PoolLoad("search", "search threads", threads, clock);
  }

  /** Forgets the measured search durations (the warm-up's cold searches). */
  public void forgetEstimate() {
    searchTimes.clear();
  }

  /** Mean duration of the Lucene part of a search within the estimate window (0: none). */
  public long recentSearchNanos() {
    return searchTimes.meanNanos();
  }

  /**
   * How long a search submitted now is expected to take: the wait for a search thread plus the
   * recent duration's {@value PoolLoad#CONFIDENCE} quantile (0 without evidence).
   */
  public long predictedSearchNanos() {
    return load.predictedNanos(searchTimes);
  }

  /** A search task. */
  @FunctionalInterface
  public interface Task<T> {
    T call() throws IOException;
  }

  /**
   * Runs {@code task} on a search thread and waits for it until the deadline.
   *
   * @throws OverloadedException when the deadline passes first
   */
  public <T> T run(Deadline deadline, Task<T> task) {
    PoolLoad.Task entry = load.enter(searchTimes);
    Callable<T> callable =
        () -> {
          if (!entry.start(deadline, 0)) {
            throw new OverloadedException(ShedReason.DEADLINE, "search abandoned at the deadline");
          }
          try {
            return task.call();
          } finally {
            entry.finish();
          }
        };
    Future<T> future;
    try {
      future = pool.submit(callable);
    } catch (RuntimeException e) {
      entry.abandon();
      throw e;
    }
    return deadline.await(future, "search", threads + " search threads busy", entry::abandon);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
