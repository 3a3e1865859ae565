package dev.shopsearch.service.overload;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shedding evidence for one pool of worker threads fed by a FIFO queue (the encoder threads, the
 * search threads): the tasks queued or running now, and how long tasks of each kind took recently
 * ({@link ServiceTimeWindow}). Two decisions use it, and both need evidence of queueing:
 *
 * <ol>
 *   <li>{@link Task#start}: a task that had to queue is skipped when it reaches a worker with less
 *       time left than such a task takes plus {@code reserve} (work still to do after it): it would
 *       finish for nobody. The evidence is the wait it actually had. A task that never queued
 *       always runs.
 *   <li>{@link #admit}: a task that would have to queue is refused at once only when its predicted
 *       wait plus {@code reserve} alone exceed the time its request has left — when it could not
 *       even start in time. A task that might still make it waits for its turn and is judged then,
 *       on the wait it really had. Refusing every task whose predicted wait + duration exceed the
 *       deadline would answer faster, but closed-loop clients that resend at once then spin on fast
 *       503s, whose handling starves the very workers that would have served them
 *       (docs/benchmarks.md: 4-connection loops got 83% fast 503s; 16 connections half the
 *       goodput). A task that finds a free worker is always admitted.
 * </ol>
 *
 * An idle pool therefore never refuses work on an estimate alone, so a pessimistic estimate left
 * over from a busy period cannot turn requests away once the load is gone; and the estimate itself
 * forgets a busy period within one window.
 *
 * <p>A task's own duration is taken as the {@value #CONFIDENCE} quantile of its kind's recent
 * durations: it should finish in time with that confidence, since a task that starts and then
 * misses the deadline wastes its worker. Tasks ahead of it count with their mean (their sum
 * matters, not one of them).
 *
 * <p>Predicted wait: every task is assumed to take the mean duration of its kind at the time it
 * entered. A running task is expected to free its worker after what is left of that (its elapsed
 * time is known), the queued tasks take the next free workers in order, and the new task gets the
 * worker that frees up first after them. With a free worker the wait is 0. Thread-safe.
 */
public final class PoolLoad {
  /** Quantile of recent durations a task must fit with. */
  public static final double CONFIDENCE = 0.9;

  private final String work;
  private final String workerName;
  private final int workers;
  private final NanoClock clock;
  private final Set<Task> live = new LinkedHashSet<>();

  /**
   * @param work what one task is, for messages ({@code encode}, {@code search})
   * @param workerName what a worker is, plural ({@code encoder threads})
   * @param workers workers taking tasks from the queue, at least 1
   * @param clock time source (the one the deadlines use)
   */
  public PoolLoad(String work, String workerName, int workers, NanoClock clock) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1; workers=" + workers);
    }
    this.work = work;
    this.workerName = workerName;
    this.workers = workers;
    this.clock = clock;
  }

  /**
   * Enters a task whose request has {@code deadline}, unless the evidence says it could not even
   * start in time.
   *
   * @param kind recent durations of this kind of task
   * @param reserveNanos time the request needs after this task (e.g. the search after the encode)
   * @throws OverloadedException (reason {@code DEADLINE}) when the task would queue and its
   *     predicted wait + reserve exceed the time left
   */
  public synchronized Task admit(ServiceTimeWindow kind, Deadline deadline, long reserveNanos) {
    int tasks = live.size();
    if (tasks >= workers) {
      long wait = waitNanos();
      long left = deadline.remainingNanos();
      if (wait > 0 && left < wait + reserveNanos) {
        throw new OverloadedException(
            ShedReason.DEADLINE,
            String.format(
                Locale.ROOT,
                "the %d ms deadline cannot be met: %d %ss ahead on %d %s take ~%.1f ms,"
                    + " %.1f ms needed after them, %.1f ms left",
                deadline.budgetMillis(),
                tasks,
                work,
                workers,
                workerName,
                wait / 1e6,
                reserveNanos / 1e6,
                Math.max(0, left) / 1e6));
      }
    }
    return enterLocked(kind, kind.meanNanos());
  }

  /** Enters a task unconditionally (its request has no deadline to protect). */
  public synchronized Task enter(ServiceTimeWindow kind) {
    return enterLocked(kind, kind.meanNanos());
  }

  private Task enterLocked(ServiceTimeWindow kind, long expected) {
    Task t = new Task(kind, expected, live.size() >= workers);
    live.add(t);
    return t;
  }

  private synchronized void leave(Task t) {
    live.remove(t);
  }

  private synchronized void started(Task t, long now) {
    t.startNanos = now;
  }

  /** Predicted wait for a free worker of a task entering now (0 with a free worker). */
  public synchronized long waitNanos() {
    if (live.size() < workers) {
      return 0;
    }
    long now = clock.nanoTime();
    // When each worker frees up: running tasks after what is left of their expected duration.
    PriorityQueue<Long> free = new PriorityQueue<>(workers);
    for (Task t : live) {
      if (t.startNanos != Long.MIN_VALUE) {
        free.add(Math.max(0, t.expected - (now - t.startNanos)));
      }
    }
    while (free.size() < workers) {
      free.add(0L);
    }
    // Queued tasks, in the order they came, take the next free worker.
    for (Task t : live) {
      if (t.startNanos == Long.MIN_VALUE) {
        free.add(free.poll() + t.expected);
      }
    }
    return free.peek();
  }

  /**
   * Predicted wait + duration ({@value #CONFIDENCE} quantile) of a {@code kind} task entering now;
   * 0 without evidence.
   */
  public synchronized long predictedNanos(ServiceTimeWindow kind) {
    return waitNanos() + kind.quantileNanos(CONFIDENCE);
  }

  /** Tasks queued or running. */
  public synchronized int tasks() {
    return live.size();
  }

  /** Workers. */
  public int workers() {
    return workers;
  }

  /**
   * One task from submission until it finishes, is skipped or is abandoned; exactly one of those
   * takes it out of the pool.
   */
  public final class Task {
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final ServiceTimeWindow kind;
    private final long expected;
    private final boolean queued;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private long startNanos = Long.MIN_VALUE; // guarded by PoolLoad.this

    private Task(ServiceTimeWindow kind, long expected, boolean queued) {
      this.kind = kind;
      this.expected = expected;
      this.queued = queued;
    }

    /** Whether no worker was free when the task entered. */
    public boolean queued() {
      return queued;
    }

    /**
     * Called by the worker as the task begins.
     *
     * @param reserveNanos time the request needs after this task
     * @return false if the submitter has abandoned the task (do not run it)
     * @throws OverloadedException (reason {@code DEADLINE}) if the task queued and can no longer
     *     finish in time; it has then left the pool
     */
    public boolean start(Deadline deadline, long reserveNanos) {
      if (!state.compareAndSet(WAITING, RUNNING)) {
        return false;
      }
      long own = kind.quantileNanos(CONFIDENCE);
      long left = deadline.remainingNanos();
      if (queued && own > 0 && left < own + reserveNanos) {
        state.set(DONE);
        leave(this);
        throw new OverloadedException(
            ShedReason.DEADLINE,
            String.format(
                Locale.ROOT,
                "%s skipped: %.1f ms of the %d ms deadline left after waiting for one of %d %s;"
                    + " one %s and what follows take ~%.1f ms",
                work,
                Math.max(0, left) / 1e6,
                deadline.budgetMillis(),
                workers,
                workerName,
                work,
                (own + reserveNanos) / 1e6));
      }
      started(this, clock.nanoTime());
      return true;
    }

    /** Called by the worker when the task is done: records its duration, leaves the pool. */
    public void finish() {
      if (state.compareAndSet(RUNNING, DONE)) {
        long began;
        synchronized (PoolLoad.this) {
          began = startNanos;
        }
        kind.record(clock.nanoTime() - began);
        leave(this);
      }
    }

    /**
     * The submitter gave up (deadline, cancel): the task leaves the pool now unless a worker has
     * started it, in which case {@link #finish()} will.
     */
    public void abandon() {
      if (state.compareAndSet(WAITING, DONE)) {
        leave(this);
      }
    }
  }
}
