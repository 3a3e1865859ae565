package dev.shopsearch.service.image;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The bulkhead for CPU-heavy image work (decoding and preprocessing query images): {@code threads}
 * platform threads and a queue of at most {@code queueCapacity} images, apart from the search
 * admission slots, the encoder threads and the request threads. However many images arrive at once
 * they occupy at most {@code threads} cores and no admission slot that a text search needs.
 *
 * <ul>
 *   <li>An image that finds every thread busy and the queue full is refused at once ({@link
 *       ShedReason#IMAGE_WORKERS_FULL}, 503).
 *   <li>The caller waits at most until its deadline; then it gets {@link ShedReason#DEADLINE} at
 *       once, a queued job is dropped without running, and a running job sees its abandon signal
 *       turn true, so that it stops (the core decoder aborts the read) instead of finishing for
 *       nobody.
 * </ul>
 *
 * Thread-safe.
 */
public final class ImageWorkers implements AutoCloseable {
  /** Image work; it should poll {@code abandoned} and stop once that is true. */
  @FunctionalInterface
  public interface Job<T> {
    /**
     * @throws CancellationException when it stopped because {@code abandoned} turned true
     */
    T run(BooleanSupplier abandoned);
  }

  private final ThreadPoolExecutor pool;
  private final int threads;
  private final int queueCapacity;

  public ImageWorkers(ImageDecodeProperties settings) {
    this.threads =
        settings.threads() > 0
            ? settings.threads()
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    this.queueCapacity = settings.queueCapacity();
    BlockingQueue<Runnable> queue =
        queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            queue,
            Thread.ofPlatform().daemon().name("image-decode-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code job} on an image thread and waits for it, at most until {@code deadline}.
   *
   * @throws OverloadedException {@code IMAGE_WORKERS_FULL} when no thread or queue place is free;
   *     {@code DEADLINE} when the deadline passes first (or passed already)
   */
  public <T> T run(Deadline deadline, Job<T> job) {
    if (deadline.expired()) {
      throw late(deadline);
    }
    AtomicBoolean stop = new AtomicBoolean();
    BooleanSupplier abandoned = () -> stop.get() || deadline.expired();
    Callable<T> task =
        () -> {
          if (abandoned.getAsBoolean()) {
            throw new CancellationException("the deadline passed while the image was queued");
          }
          return job.run(abandoned);
        };
    Future<T> future;
    try {
      future = pool.submit(task);
    } catch (RejectedExecutionException e) {
      throw full();
    }
    return deadline.await(
        future, "image decoding", threads + " image threads", () -> giveBack(stop, future));
  }

  /**
   * Whether an image submitted now would probably find a thread or a queue place: a cheap check for
   * refusing an upload before its body is read ({@link UploadGate}); {@link #run} still enforces
   * the bounds.
   */
  public boolean hasRoom() {
    return pool.getActiveCount() < threads || pool.getQueue().size() < queueCapacity;
  }

  /** The refusal of an image that finds every thread busy and the queue full. */
  public OverloadedException full() {
    return new OverloadedException(
        ShedReason.IMAGE_WORKERS_FULL,
        String.format(
            Locale.ROOT,
            "image decoding is at its limit of %d images running and %d queued",
            threads,
            queueCapacity));
  }

  /** After {@link Deadline#await} cancelled {@code future}: stop the job, free its queue place. */
  private void giveBack(AtomicBoolean stop, Future<?> future) {
    stop.set(true);
    if (future instanceof Runnable queued) {
      pool.remove(queued); // give its queue place back now (no-op once it runs)
    }
  }

  private OverloadedException late(Deadline deadline) {
    return deadline.missed("image decoding", threads + " image threads");
  }

  /** Image threads. */
  public int threads() {
    return threads;
  }

  /** Jobs running now. */
  public int running() {
    return pool.getActiveCount();
  }

  /** Jobs waiting for a thread now. */
  public int queued() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
