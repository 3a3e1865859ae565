package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The image bulkhead, driven by latches instead of timing: what does not fit is refused at once,
 * what outlives its deadline is abandoned (running) or dropped (queued).
 */
class ImageWorkersTest {
  final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch entered = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    callers.shutdownNow();
  }

  static Deadline generous() {
    return Deadline.start(Duration.ofSeconds(60), null);
  }

  /** A job that holds its thread until {@link #release}. */
  String blocking() {
    entered.countDown();
    try {
      assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "done";
  }

  static void awaitQueued(ImageWorkers workers, int n) throws InterruptedException {
    for (int i = 0; i < 6000 && workers.queued() != n; i++) {
      Thread.sleep(10);
    }
    assertThat(workers.queued()).isEqualTo(n);
  }

  @Test
  void whenEveryThreadAndQueuePlaceIsTakenAnImageIsRefusedAtOnce() throws Exception {
    try (ImageWorkers workers = new ImageWorkers(new ImageDecodeProperties(1, 1))) {
      Future<String> running = callers.submit(() -> workers.run(generous(), a -> blocking()));
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      Future<String> queued = callers.submit(() -> workers.run(generous(), a -> "queued ran"));
      awaitQueued(workers, 1);
      assertThatThrownBy(() -> workers.run(generous(), a -> "refused"))
          .isInstanceOfSatisfying(
              OverloadedException.class,
              e -> assertThat(e.reason()).isEqualTo(ShedReason.IMAGE_WORKERS_FULL))
          .hasMessageContaining("1 images running and 1 queued");
      release.countDown();
      assertThat(running.get(60, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(queued.get(60, TimeUnit.SECONDS)).isEqualTo("queued ran");
    }
  }

  @Test
  void aRunningJobIsToldToStopAtTheDeadlineAndTheCallerDoesNotWaitForIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch sawAbandon = new CountDownLatch(1);
    try (ImageWorkers workers = new ImageWorkers(new ImageDecodeProperties(1, 1))) {
      Deadline tight = Deadline.start(Duration.ofMillis(200), null);
      assertThatThrownBy(
              () ->
                  workers.run(
                      tight,
                      abandoned -> {
                        started.countDown();
                        while (!abandoned.getAsBoolean()) { // a job that ignored it would spin on
                          Thread.onSpinWait();
                        }
                        sawAbandon.countDown();
                        throw new CancellationException("stopped");
                      }))
          .isInstanceOfSatisfying(
              OverloadedException.class, e -> assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE))
          .hasMessageContaining("200 ms deadline");
      // The only thread runs the next job (queued behind the old one if that is still winding
      // down), so the old job stopped; had it ignored the signal, the next one would miss its
      // deadline. (On a very busy machine the old job may have been dropped before it started.)
      String next = workers.run(generous(), a -> "next");
      assertThat(next).isEqualTo("next");
      assertThat(sawAbandon.getCount()).isEqualTo(started.getCount());
    }
  }

  @Test
  void aJobStillQueuedAtItsDeadlineNeverRuns() throws Exception {
    AtomicBoolean lateJobRan = new AtomicBoolean();
    try (ImageWorkers workers = new ImageWorkers(new ImageDecodeProperties(1, 1))) {
      Future<String> running = callers.submit(() -> workers.run(generous(), a -> blocking()));
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      Deadline tight = Deadline.start(Duration.ofMillis(50), null);
      assertThatThrownBy(() -> workers.run(tight, a -> lateJobRan.getAndSet(true)))
          .isInstanceOfSatisfying(
              OverloadedException.class,
              e -> assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE));
      assertThat(workers.queued()).as("its queue place is given back at once").isZero();
      release.countDown();
      assertThat(running.get(60, TimeUnit.SECONDS)).isEqualTo("done");
      String after = workers.run(generous(), a -> "after");
      assertThat(after).isEqualTo("after");
      assertThat(lateJobRan).isFalse();
    }
  }

  @Test
  void aJobsOwnFailurePassesThrough() {
    try (ImageWorkers workers = new ImageWorkers(new ImageDecodeProperties(2, 2))) {
      assertThatThrownBy(
              () ->
                  workers.run(
                      generous(),
                      a -> {
                        throw new ImageTooLargeException("too big");
                      }))
          .isInstanceOf(ImageTooLargeException.class)
          .hasMessage("too big");
      assertThat(workers.threads()).isEqualTo(2);
    }
  }

  @Test
  void anExpiredDeadlineIsRefusedWithoutQueueing() throws InterruptedException {
    try (ImageWorkers workers = new ImageWorkers(new ImageDecodeProperties(1, 1))) {
      Deadline spent = new Deadline(System.nanoTime() - 2_000_000, 1_000_000);
      AtomicBoolean ran = new AtomicBoolean();
      assertThatThrownBy(() -> workers.run(spent, a -> ran.getAndSet(true)))
          .isInstanceOf(OverloadedException.class);
      assertThat(ran).isFalse();
    }
  }
}
