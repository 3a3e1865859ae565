package dev.shopsearch.service.model;

import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching: texts submitted by concurrent requests are collected into one encoder
 * call. A batch closes when it holds {@code maxBatch} texts or when its first text has waited
 * {@code maxWait}; while the encoder is busy ({@code maxConcurrency} batches running) the next
 * batch keeps growing, so batches get larger exactly when the encoder is the bottleneck.
 *
 * <p>The waiting queue is bounded: a full queue refuses at once with {@link OverloadedException}.
 * Texts whose caller gave up (future completed or cancelled) are dropped before encoding.
 * Thread-safe; one dispatcher thread, batches run on {@code maxConcurrency} platform threads.
 */
public final class MicroBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

  private record Pending(String text, long enqueuedNanos, CompletableFuture<float[]> result) {}

  private final Function<List<String>, List<float[]>> encoder;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Pending> queue;
  private final Semaphore running;
  private final IntConsumer batchObserver;
  private final Thread dispatcher;
  private final ExecutorService workers;
  private volatile boolean closed;

  /**
   * @param encoder batch encoder; element i of its result belongs to text i
   * @param maxBatch largest batch, at least 1
   * @param maxWait longest wait of a batch's first text for company
   * @param queueCapacity texts waiting at most
   * @param maxConcurrency encoder calls running at once
   * @param batchObserver told the size of every batch (metrics)
   */
  public MicroBatcher(
      Function<List<String>, List<float[]>> encoder,
      int maxBatch,
      Duration maxWait,
      int queueCapacity,
      int maxConcurrency,
      IntConsumer batchObserver) {
    if (maxBatch < 1 || queueCapacity < 1 || maxConcurrency < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "maxBatch, queueCapacity and maxConcurrency must be >= 1; got %d, %d, %d",
              maxBatch,
              queueCapacity,
              maxConcurrency));
    }
    this.encoder = encoder;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.running = new Semaphore(maxConcurrency);
    this.batchObserver = batchObserver;
    // Platform threads: a native encoder call would pin a virtual thread's carrier.
    this.workers =
        Executors.newFixedThreadPool(
            maxConcurrency, Thread.ofPlatform().daemon().name("encode-batch-", 0).factory());
    this.dispatcher = Thread.ofPlatform().daemon().name("encode-batcher").start(this::dispatch);
  }

  /**
   * Queues one text.
   *
   * @return the future embedding
   * @throws OverloadedException if the queue is full
   * @throws IllegalStateException if the batcher is closed
   */
  public CompletableFuture<float[]> submit(String text) {
    if (closed) {
      throw new IllegalStateException("micro-batcher is closed");
    }
    Pending p = new Pending(text, System.nanoTime(), new CompletableFuture<>());
    if (!queue.offer(p)) {
      throw new OverloadedException(
          ShedReason.ENCODE_QUEUE_FULL,
          "encoder queue is full (" + queue.size() + " texts waiting)");
    }
    return p.result();
  }

  private void dispatch() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // Wait for an encoder slot first: while the encoder is busy, texts pile up in the queue
        // and join this batch below, so batches grow exactly when the encoder is the bottleneck.
        running.acquire();
        long closeAt = first.enqueuedNanos() + maxWaitNanos;
        while (batch.size() < maxBatch) {
          long wait = closeAt - System.nanoTime();
          Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          if (!p.result().isDone()) {
            live.add(p);
          }
        }
        batch.clear();
        if (live.isEmpty()) {
          running.release();
          continue;
        }
        workers.execute(() -> run(live));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(
            p ->
                p.result()
                    .completeExceptionally(new IllegalStateException("micro-batcher closed")));
        return;
      } catch (RuntimeException e) {
        log.error("micro-batcher dispatch failed", e);
        batch.forEach(p -> p.result().completeExceptionally(e));
        batch.clear();
      }
    }
  }

  private void run(List<Pending> batch) {
    try {
      batchObserver.accept(batch.size());
      List<String> texts = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        texts.add(p.text());
      }
      List<float[]> vectors = encoder.apply(texts);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(vectors.get(i));
      }
    } catch (RuntimeException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
    } finally {
      running.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
    workers.shutdown();
    Pending p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(new IllegalStateException("micro-batcher closed"));
    }
  }
}
