package dev.shopsearch.service.search;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the Lucene part of searches on {@code overload.search-threads} platform threads (default:
 * one per core). Request virtual threads only wait for the result, at most until their deadline:
 * CPU-bound kNN work on the virtual-thread carriers would otherwise starve request handling and
 * admission control under overload, so that requests queue invisibly instead of being shed. A task
 * still queued at its deadline is cancelled and never runs. Thread-safe.
 */
public final class SearchExecutor implements AutoCloseable {
  private final ExecutorService pool;
  private final int threads;

  public SearchExecutor(ServiceProperties properties) {
    int configured = properties.overload().searchThreads();
    this.threads = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    this.pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("searcher-", 0).factory());
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
    Callable<T> callable = task::call;
    Future<T> future = pool.submit(callable);
    try {
      return future.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new OverloadedException(
          OverloadedException.Reason.DEADLINE,
          String.format(
              Locale.ROOT,
              "search did not finish within the %d ms deadline (%d search threads busy)",
              deadline.budgetMillis(),
              threads));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new OverloadedException(OverloadedException.Reason.DEADLINE, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
