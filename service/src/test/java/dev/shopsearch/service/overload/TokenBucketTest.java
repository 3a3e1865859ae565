package dev.shopsearch.service.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bucket on a manual clock: nothing here depends on how fast the machine runs. */
class TokenBucketTest {
  final ManualClock clock = new ManualClock();

  @Test
  void aFullBucketAdmitsItsBurstThenSaysWhenTheNextTokenComes() {
    TokenBucket bucket = new TokenBucket(2, 3, clock); // a token every 500 ms, 3 at once
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(500).toNanos());
    clock.advance(Duration.ofMillis(200));
    assertThat(bucket.tryTake()).as("a refusal takes nothing").isEqualTo(300_000_000L);
    clock.advance(Duration.ofMillis(300));
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(500_000_000L);
  }

  @Test
  void theSustainedRateIsThePerSecondRateWhateverTheCallers() {
    TokenBucket bucket = new TokenBucket(5, 20, clock);
    int admitted = 0;
    // A client that resends every millisecond for 10 s: the burst, then one every 200 ms.
    for (int ms = 0; ms <= 10_000; ms++) {
      if (bucket.tryTake() == 0) {
        admitted++;
      }
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(admitted).isEqualTo(20 + 50);
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsBurst() {
    TokenBucket bucket = new TokenBucket(10, 2, clock);
    bucket.tryTake();
    bucket.tryTake();
    clock.advance(Duration.ofHours(1));
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void nonsenseLimitsFailFastNamingTheValue() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("perSecond must be in [0.001, 1000000]; got 0.0");
    assertThatThrownBy(() -> new TokenBucket(1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst must be in [1, 1000000]; got 0");
  }
}
