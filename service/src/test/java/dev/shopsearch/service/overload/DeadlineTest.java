package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void expiresAfterItsBudget() throws InterruptedException {
    Deadline d = Deadline.start(Duration.ofMillis(100), "5");
    assertThat(d.expired()).isFalse();
    Thread.sleep(20);
    assertThat(d.expired()).isTrue();
    assertThat(d.remainingNanos()).isNegative();
  }
}
