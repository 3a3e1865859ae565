package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void headerTightensButNeverExtendsTheDefault() {
    assertThat(Deadline.start(Duration.ofMillis(100), null).budgetMillis()).isEqualTo(100);
    assertThat(Deadline.start(Duration.ofMillis(100), "40").budgetMillis()).isEqualTo(40);
    assertThat(Deadline.start(Duration.ofMillis(100), " 5000 ").budgetMillis()).isEqualTo(100);
  }

  @Test
  void badHeaderValuesNameTheHeaderAndTheLimit() {
    assertThatThrownBy(() -> Deadline.start(Duration.ofMillis(100), "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Deadline.HEADER)
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> Deadline.start(Duration.ofMillis(100), "0"))
        .hasMessageContaining("[1, 60000]");
    assertThatThrownBy(() -> Deadline.start(Duration.ofMillis(100), "60001"))
        .hasMessageContaining("60001");
  }

  @Test
  void expiresAfterItsBudgetOnItsClock() {
    ManualClock clock = new ManualClock();
    Deadline d = Deadline.start(Duration.ofMillis(100), "5", clock);
    assertThat(d.remainingNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
    clock.advance(Duration.ofMillis(4));
    assertThat(d.expired()).isFalse();
    assertThat(d.remainingNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
    clock.advance(Duration.ofMillis(1));
    assertThat(d.expired()).isTrue();
    clock.advance(Duration.ofMillis(10));
    assertThat(d.remainingNanos()).isEqualTo(-Duration.ofMillis(10).toNanos());
  }

  @Test
  void countsFromTheArrivalNotFromWhenItIsCreated() {
    ManualClock clock = new ManualClock();
    long arrival = clock.nanoTime();
    clock.advance(Duration.ofMillis(30)); // queued in the server before the controller ran
    Deadline d = Deadline.start(Duration.ofMillis(100), null, arrival, clock);
    assertThat(d.remainingNanos()).isEqualTo(Duration.ofMillis(70).toNanos());
  }

  @Test
  void aBudgetMustBePositive() {
    assertThatThrownBy(() -> new Deadline(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budgetNanos=0");
  }

  @Test
  void awaitReturnsTheResultOfWorkDoneInTime() {
    Deadline d = Deadline.start(Duration.ofMillis(100), null, new ManualClock());
    assertThat(d.await(CompletableFuture.completedFuture("done"), "search", null, () -> {}))
        .isEqualTo("done");
  }

  @Test
  void awaitPastTheDeadlineCancelsGivesUpAndRefusesWithTheDeadlineReason() {
    ManualClock clock = new ManualClock();
    Deadline d = Deadline.start(Duration.ofMillis(100), null, clock);
    clock.advance(Duration.ofMillis(100)); // nothing left: the wait cannot even start
    CompletableFuture<String> never = new CompletableFuture<>();
    AtomicInteger gaveUp = new AtomicInteger();

    assertThatThrownBy(
            () -> d.await(never, "search", "4 search threads busy", gaveUp::incrementAndGet))
        .isInstanceOfSatisfying(
            OverloadedException.class, e -> assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE))
        .hasMessage("search did not finish within the 100 ms deadline (4 search threads busy)");
    assertThat(never).isCancelled();
    assertThat(gaveUp).hasValue(1);
  }

  @Test
  void awaitRethrowsTheWorksOwnFailureAndMapsCheckedOnes() {
    Deadline d = Deadline.start(Duration.ofMillis(100), null, new ManualClock());
    Runnable none = () -> {};
    assertThatThrownBy(
            () ->
                d.await(
                    CompletableFuture.failedFuture(new IllegalArgumentException("bad")),
                    "x",
                    null,
                    none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad");
    assertThatThrownBy(
            () -> d.await(CompletableFuture.failedFuture(new IOException("disk")), "x", null, none))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("disk");
    assertThatThrownBy(
            () -> d.await(CompletableFuture.failedFuture(new Exception("odd")), "x", null, none))
        .isInstanceOf(IllegalStateException.class);
    // the work saw that it was abandoned: the deadline's refusal, not an internal error
    assertThatThrownBy(
            () ->
                d.await(
                    failedWith(new CancellationException("abandoned")),
                    "image decoding",
                    null,
                    none))
        .isInstanceOfSatisfying(
            OverloadedException.class, e -> assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE))
        .hasMessage("image decoding did not finish within the 100 ms deadline");
  }

  @Test
  void awaitInterruptedKeepsTheFlagAndGivesUp() {
    Deadline d = Deadline.start(Duration.ofMillis(100), null, new ManualClock());
    CompletableFuture<String> never = new CompletableFuture<>();
    AtomicInteger gaveUp = new AtomicInteger();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> d.await(never, "search", null, gaveUp::incrementAndGet))
          .isInstanceOf(OverloadedException.class)
          .hasMessage("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(never).isCancelled();
    assertThat(gaveUp).hasValue(1);
  }

  /** A future whose get() fails with an ExecutionException caused by {@code cause}. */
  private static Future<String> failedWith(Throwable cause) {
    FutureTask<String> task =
        new FutureTask<>(
            () -> {
              throw (Exception) cause;
            });
    task.run();
    return task;
  }
}
