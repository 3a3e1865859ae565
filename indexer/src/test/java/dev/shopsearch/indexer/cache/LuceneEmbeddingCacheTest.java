package dev.shopsearch.indexer.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.indexer.testing.TestCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneEmbeddingCacheTest {
  @TempDir Path dir;

  @Test
  void vectorsSurviveReopenAndStayInTheirNamespace() throws Exception {
    float[] v = {0.6f, 0.8f, 0f};
    try (LuceneEmbeddingCache c = LuceneEmbeddingCache.open(dir, "model-a", 3)) {
      assertThat(c.get("img1")).isNull();
      c.put("img1", v);
      for (int i = 0; i < 300; i++) { // crosses the refresh interval
        c.put("bulk" + i, new float[] {i, 0, 0});
      }
      c.commit();
      assertThat(c.get("bulk299")).containsExactly(299f, 0f, 0f);
    }
    try (LuceneEmbeddingCache c = LuceneEmbeddingCache.open(dir, "model-a", 3)) {
      assertThat(c.get("img1")).containsExactly(v);
      assertThat(c.size()).isEqualTo(301);
      c.put("img1", new float[] {1, 0, 0});
      c.commit();
      assertThat(c.get("img1")).containsExactly(1f, 0f, 0f);
      assertThat(c.size()).as("replaced, not duplicated").isEqualTo(301);
    }
    try (LuceneEmbeddingCache other = LuceneEmbeddingCache.open(dir, "model-b", 3)) {
      assertThat(other.get("img1")).as("another model never sees model-a's vectors").isNull();
      assertThatThrownBy(() -> other.put("x", new float[2]))
          .hasMessageContaining("cache vector has 2 floats; expected dim=3");
    }
  }

  @Test
  void namespaceDependsOnModelHashAndPreprocessing() {
    var a = TestCatalog.manifest(16);
    assertThat(LuceneEmbeddingCache.namespace(a)).isEqualTo(LuceneEmbeddingCache.namespace(a));
    assertThat(LuceneEmbeddingCache.namespace(a.withContentHash("other")))
        .isNotEqualTo(LuceneEmbeddingCache.namespace(a));
  }
}
