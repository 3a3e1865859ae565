package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shed searches are answered no earlier than their deadline, on a manual clock with the pause
 * recorded instead of slept: the hold is exactly what is left of the deadline, only shed searches
 * are held, none when disabled, never more than {@code max-held-refusals} at once.
 */
class ShedRefusalHoldTest {
  final ManualClock clock = new ManualClock();
  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  Pause pause = pauses::add;

  ShedRefusalHold hold(boolean enabled, int maxHeld) {
    return new ShedRefusalHold(
        new OverloadProperties(
            Duration.ofMillis(100),
            32,
            2,
            OverloadPolicy.SHED,
            16,
            Duration.ofSeconds(1),
            0,
            Duration.ofSeconds(2),
            enabled,
            maxHeld),
        d -> pause.park(d));
  }

  /** A request that arrived now with a 100 ms budget. */
  Deadline deadline() {
    return Deadline.start(Duration.ofMillis(100), null, clock);
  }

  static OverloadedException shed(ShedReason reason) {
    return new OverloadedException(reason, "refused");
  }

  @Test
  void aShedSearchIsHeldUntilItsDeadline() {
    ShedRefusalHold h = hold(true, 1000);
    Deadline d = deadline();
    clock.advance(Duration.ofMillis(4)); // refused up front, 4 ms after arrival
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), d)).isTrue();
    assertThat(pauses).containsExactly(Duration.ofMillis(96));
  }

  @Test
  void aTightenedDeadlineIsHeldOnlyUntilItsOwnEnd() {
    ShedRefusalHold h = hold(true, 1000);
    Deadline d = Deadline.start(Duration.ofMillis(100), "30", clock);
    clock.advance(Duration.ofMillis(1));
    h.beforeAnswering(shed(ShedReason.IN_FLIGHT_LIMIT), d);
    assertThat(pauses).containsExactly(Duration.ofMillis(29));
  }

  @Test
  void everyShedReasonOfASearchIsHeldAndNoOther() {
    ShedRefusalHold h = hold(true, 1000);
    for (ShedReason r : ShedReason.values()) {
      boolean search =
          r == ShedReason.DEADLINE
              || r == ShedReason.IN_FLIGHT_LIMIT
              || r == ShedReason.ENCODE_QUEUE_FULL;
      assertThat(h.beforeAnswering(shed(r), deadline())).as(r.tag()).isEqualTo(search);
    }
    assertThat(pauses).hasSize(3).containsOnly(Duration.ofMillis(100));
  }

  @Test
  void aRefusalAtOrPastItsDeadlineIsAnsweredAtOnce() {
    ShedRefusalHold h = hold(true, 1000);
    Deadline d = deadline();
    clock.advance(Duration.ofMillis(100));
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), d)).isFalse();
    clock.advance(Duration.ofMillis(50));
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), d)).isFalse();
    assertThat(pauses).isEmpty();
  }

  @Test
  void nothingIsHeldWhenDisabled() {
    ShedRefusalHold h = hold(false, 1000);
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), deadline())).isFalse();
    assertThat(h.beforeAnswering(shed(ShedReason.IN_FLIGHT_LIMIT), deadline())).isFalse();
    assertThat(pauses).isEmpty();
  }

  @Test
  void neverMoreThanMaxHeldAtOnce() throws Exception {
    ShedRefusalHold h = hold(true, 1);
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pause =
        d -> {
          pauses.add(d);
          parked.countDown();
          release.await();
        };
    Deadline d = deadline();
    Thread first = Thread.ofVirtual().start(() -> h.beforeAnswering(shed(ShedReason.DEADLINE), d));
    assertThat(parked.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(h.held()).isEqualTo(1);
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), d))
        .as("the second refusal is answered at once")
        .isFalse();
    assertThat(pauses).hasSize(1);
    release.countDown();
    first.join();
    assertThat(h.held()).isZero();
    // Once the first is answered, the next one is held again.
    pause = pauses::add;
    assertThat(h.beforeAnswering(shed(ShedReason.DEADLINE), d)).isTrue();
    assertThat(h.held()).isZero();
  }

  @Test
  void noneIsHeldWithMaxHeldZero() {
    assertThat(hold(true, 0).beforeAnswering(shed(ShedReason.DEADLINE), deadline())).isFalse();
    assertThat(pauses).isEmpty();
  }
}
