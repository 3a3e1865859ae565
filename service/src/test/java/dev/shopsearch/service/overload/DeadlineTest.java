package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.testing.ManualClock;
import java.time.Duration;
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
}
