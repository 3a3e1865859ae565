package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceTimeWindowTest {
  static final long MS = 1_000_000;

  @Test
  void noSamplesMeansNoEstimate() {
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(2), new ManualClock());
    assertThat(w.meanNanos()).isZero();
    assertThat(w.samples()).isZero();
  }

  @Test
  void meanOfTheCallsWithinTheWindow() {
    ManualClock clock = new ManualClock();
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(2), clock);
    w.record(10 * MS);
    clock.advance(Duration.ofMillis(500));
    w.record(20 * MS);
    w.record(30 * MS);
    assertThat(w.meanNanos()).isEqualTo(20 * MS);
    assertThat(w.samples()).isEqualTo(3);
  }

  @Test
  void aBusyPeriodIsForgottenWithinOneWindowAfterTheLoadDrops() {
    ManualClock clock = new ManualClock();
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(2), clock);
    // Overload: 100 slow calls per second for 5 s.
    for (int i = 0; i < 500; i++) {
      w.record(120 * MS);
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(w.meanNanos()).isEqualTo(120 * MS);
    // Load drops: a few fast calls, one every 400 ms. Far outnumbered, they still take over
    // within one window, because the slow ones age out by time.
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMillis(400));
      w.record(6 * MS);
    }
    assertThat(w.meanNanos()).isEqualTo(6 * MS);
    assertThat(w.samples()).isEqualTo(5);
    // Quiet for a whole window: no estimate left at all.
    clock.advance(Duration.ofSeconds(2));
    assertThat(w.meanNanos()).isZero();
  }

  @Test
  void aSampleCountsForAtMostOneWindow() {
    ManualClock clock = new ManualClock();
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(1), clock);
    w.record(50 * MS);
    clock.advance(Duration.ofMillis(850));
    assertThat(w.meanNanos()).isEqualTo(50 * MS);
    clock.advance(Duration.ofMillis(200));
    assertThat(w.meanNanos()).isZero();
  }

  @Test
  void quantilesOfTheCallsWithinTheWindow() {
    ManualClock clock = new ManualClock();
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(2), clock);
    assertThat(w.quantileNanos(0.9)).isZero();
    for (int i = 1; i <= 10; i++) {
      w.record(i * MS);
    }
    assertThat(w.quantileNanos(0.9)).isEqualTo(9 * MS);
    assertThat(w.quantileNanos(1.0)).isEqualTo(10 * MS);
    assertThat(w.quantileNanos(0.5)).isEqualTo(5 * MS);
    clock.advance(Duration.ofSeconds(3));
    assertThat(w.quantileNanos(0.9)).isZero();
  }

  @Test
  void theLatestCallsCountWhenMoreThanTheCapacityFinishWithinTheWindow() {
    ManualClock clock = new ManualClock();
    ServiceTimeWindow w = new ServiceTimeWindow(Duration.ofSeconds(2), clock);
    for (int i = 0; i < ServiceTimeWindow.CAPACITY; i++) {
      w.record(100 * MS);
    }
    for (int i = 0; i < ServiceTimeWindow.CAPACITY; i++) {
      w.record(4 * MS);
    }
    assertThat(w.samples()).isEqualTo(ServiceTimeWindow.CAPACITY);
    assertThat(w.meanNanos()).isEqualTo(4 * MS);
  }

  @Test
  void aTooShortWindowIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new ServiceTimeWindow(Duration.ofMillis(5), new ManualClock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0.005S")
        .hasMessageContaining(">= 10 ms");
  }
}
