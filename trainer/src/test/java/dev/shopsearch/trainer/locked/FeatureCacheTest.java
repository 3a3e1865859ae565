package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripsAndKeysOnTowerAndContent() {
    FeatureCache cache = new FeatureCache(dir);
    float[] f = {1.5f, -2f, Float.MIN_VALUE, 3e10f};
    cache.put("tower1", utf8("red shirt"), f);
    assertThat(cache.get("tower1", utf8("red shirt"))).containsExactly(f);
    assertThat(cache.get("tower1", utf8("red shirts"))).isNull();
    assertThat(cache.get("tower2", utf8("red shirt"))).isNull();
    assertThat(new FeatureCache(dir).get("tower1", utf8("red shirt"))).containsExactly(f);
    assertThatThrownBy(() -> cache.get("../x", utf8("a"))).hasMessageContaining("tower key");
  }

  @Test
  void computesOnlyMissesInBatchesAndSkipsNullRows() throws Exception {
    FeatureCache cache = new FeatureCache(dir);
    cache.put("t", utf8("b"), new float[] {2});
    AtomicInteger calls = new AtomicInteger();
    List<Integer> batchSizes = new ArrayList<>();
    List<byte[]> inputs = List.of(utf8("a"), utf8("b"), utf8("c"), utf8("bad"), utf8("e"));
    float[][] out =
        cache.features(
            "t",
            inputs,
            2,
            batch -> {
              calls.incrementAndGet();
              batchSizes.add(batch.size());
              float[][] r = new float[batch.size()][];
              for (int i = 0; i < r.length; i++) {
                String s = new String(batch.get(i), StandardCharsets.UTF_8);
                r[i] = s.equals("bad") ? null : new float[] {s.charAt(0)};
              }
              return r;
            });
    assertThat(out[0]).containsExactly('a');
    assertThat(out[1]).containsExactly(2f);
    assertThat(out[3]).isNull();
    assertThat(out[4]).containsExactly('e');
    assertThat(batchSizes).containsExactly(2, 2);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(4);
    assertThat(cache.get("t", utf8("bad"))).as("failures are not cached").isNull();
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
    }
  }
}
