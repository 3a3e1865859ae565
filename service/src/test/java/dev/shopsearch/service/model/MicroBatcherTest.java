package dev.shopsearch.service.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.testing.FakeClip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  @Test
  void concurrentTextsShareEncoderCallsAndGetTheirOwnVectors() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    FakeClip.Text encoder = new FakeClip.Text();
    encoder.delayMillis = 20;
    // The encoder stays busy until every text is queued, however slowly the threads get there.
    CountDownLatch allQueued = new CountDownLatch(1);
    Function<List<String>, List<float[]>> busy =
        batch -> {
          try {
            allQueued.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return encoder.encode(batch);
        };
    try (MicroBatcher batcher =
        new MicroBatcher(busy, 8, Duration.ofMillis(2), 256, 1, sizes::add)) {
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String text = "query number " + i;
        texts.add(text);
        futures.add(null);
      }
      for (int i = 0; i < 40; i++) {
        int idx = i;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        go.await();
                      } catch (InterruptedException e) {
                        return;
                      }
                      futures.set(idx, batcher.submit(texts.get(idx)));
                    }));
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      allQueued.countDown();
      for (int i = 0; i < 40; i++) {
        assertThat(futures.get(i).get(5, TimeUnit.SECONDS))
            .containsExactly(FakeClip.embed(texts.get(i)));
      }
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
      assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 8));
      // The encoder is busy: texts pile up and are batched.
      assertThat(encoder.calls.get()).isLessThan(20);
      assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
    }
  }

  @Test
  void aLoneTextIsEncodedWithoutWaitingForCompany() throws Exception {
    FakeClip.Text encoder = new FakeClip.Text();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    try (MicroBatcher batcher =
        new MicroBatcher(encoder::encode, 32, Duration.ofMillis(2), 16, 1, sizes::add)) {
      batcher.submit("warm up").get(30, TimeUnit.SECONDS);
      float[] v = batcher.submit("alone").get(30, TimeUnit.SECONDS);
      assertThat(v).containsExactly(FakeClip.embed("alone"));
      // Each text closed its own batch after maxWait instead of waiting for 31 more.
      assertThat(sizes).containsExactly(1, 1);
    }
  }

  @Test
  void aFullQueueRefusesAtOnceInsteadOfQueueing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (MicroBatcher batcher =
        new MicroBatcher(
            texts -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return texts.stream().map(FakeClip::embed).toList();
            },
            1,
            Duration.ZERO,
            2,
            1,
            n -> {})) {
      List<CompletableFuture<float[]>> accepted = new ArrayList<>();
      OverloadedException refused = null;
      for (int i = 0; i < 10 && refused == null; i++) {
        try {
          accepted.add(batcher.submit("t" + i));
        } catch (OverloadedException e) {
          refused = e;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(refused.reason()).isEqualTo(ShedReason.ENCODE_QUEUE_FULL);
      assertThat(accepted.size()).isBetween(2, 4);
      release.countDown();
      for (CompletableFuture<float[]> f : accepted) {
        assertThat(f.get(5, TimeUnit.SECONDS)).hasSize(FakeClip.DIM);
      }
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(
            () ->
                new MicroBatcher(
                    t -> t.stream().map(FakeClip::embed).toList(), 0, Duration.ZERO, 1, 1, n -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatch");
  }
}
