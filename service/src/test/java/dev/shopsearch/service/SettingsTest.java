package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.encode.ExecutionProvider;
import dev.shopsearch.service.overload.OverloadPolicy;
import dev.shopsearch.service.search.SearchMode;
import dev.shopsearch.service.testing.TestProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code shopsearch.*} keys and defaults documented in docs/service.md ("Configuration"), bound
 * into the feature settings records exactly as Spring binds them: the per-feature split changed no
 * key and no default.
 */
class SettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    TestProperties.All p = TestProperties.of(Map.of());
    assertThat(p.model().bundleDir()).isNull();
    assertThat(p.model().provider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(p.model().deviceId()).isZero();
    assertThat(p.model().allowCpuFallback()).isFalse();
    assertThat(p.model().intraOpThreads()).isZero();
    assertThat(p.index().watchInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.search().defaultK()).isEqualTo(10);
    assertThat(p.search().maxK()).isEqualTo(100);
    assertThat(p.search().maxOffset()).isEqualTo(1000);
    assertThat(p.search().maxQueryLength()).isEqualTo(256);
    assertThat(p.search().numCandidates()).isEqualTo(100);
    assertThat(p.search().rrfK()).isEqualTo(60);
    assertThat(p.search().defaultMode()).isEqualTo(SearchMode.HYBRID);
    assertThat(p.overload().deadline()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.overload().maxInFlight()).isEqualTo(32);
    assertThat(p.overload().maxEncodeConcurrency()).isEqualTo(2);
    assertThat(p.overload().onOverload()).isEqualTo(OverloadPolicy.SHED);
    assertThat(p.overload().maxDegradedInFlight()).isEqualTo(16);
    assertThat(p.overload().retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.overload().searchThreads()).isZero();
    assertThat(p.overload().estimateWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.warmup().enabled()).isTrue();
    assertThat(p.warmup().textQueries()).isEqualTo(24);
    assertThat(p.warmup().images()).isEqualTo(4);
    assertThat(p.warmup().httpRounds()).isEqualTo(3);
    assertThat(p.warmup().maxTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.cache().enabled()).isTrue();
    assertThat(p.cache().maxSize()).isEqualTo(10_000);
    assertThat(p.cache().ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.batching().enabled()).isNull();
    assertThat(p.batching().maxBatch()).isEqualTo(32);
    assertThat(p.batching().maxWait()).isEqualTo(Duration.ofMillis(1));
    assertThat(p.batching().queueCapacity()).isEqualTo(256);
    assertThat(p.upload().maxBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(p.upload().maxPixels()).isEqualTo(40_000_000L);
    assertThat(p.upload().allowUrlFetch()).isTrue();
    assertThat(p.upload().urlTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.upload().allowedHosts()).isEmpty();
    assertThat(p.upload().allowPrivateAddresses()).isFalse();
    assertThat(p.imageDecode().threads()).isZero();
    assertThat(p.imageDecode().queueCapacity()).isEqualTo(4);
    assertThat(p.cors().allowedOrigins()).isEmpty();
    assertThat(p.consistency().threshold()).isEqualTo(0.2);
  }

  @Test
  void everyDocumentedKeyBindsToItsFeature() {
    TestProperties.All p =
        TestProperties.of(
            Map.ofEntries(
                Map.entry("shopsearch.model.bundle-dir", "/models/clip"),
                Map.entry("shopsearch.model.provider", "cuda"),
                Map.entry("shopsearch.index.root", "/data/index"),
                Map.entry("shopsearch.index.catalog-root", "/data/catalog"),
                Map.entry("shopsearch.search.default-mode", "vector"),
                Map.entry("shopsearch.overload.on-overload", "lexical"),
                Map.entry("shopsearch.overload.deadline", "250ms"),
                Map.entry("shopsearch.warmup.http-rounds", "0"),
                Map.entry("shopsearch.cache.max-size", "5"),
                Map.entry("shopsearch.batching.enabled", "true"),
                Map.entry("shopsearch.upload.allowed-hosts", "a.example,b.example"),
                Map.entry("shopsearch.image-decode.queue-capacity", "7"),
                Map.entry("shopsearch.cors.allowed-origins", "https://shop.example"),
                Map.entry("shopsearch.consistency.threshold", "0.3")));
    assertThat(p.model().bundleDir()).isEqualTo(Path.of("/models/clip"));
    assertThat(p.model().provider()).isEqualTo(ExecutionProvider.CUDA);
    assertThat(p.index().root()).isEqualTo(Path.of("/data/index"));
    assertThat(p.index().catalogRoot()).isEqualTo(Path.of("/data/catalog"));
    assertThat(p.search().defaultMode()).isEqualTo(SearchMode.VECTOR);
    assertThat(p.overload().onOverload()).isEqualTo(OverloadPolicy.LEXICAL);
    assertThat(p.overload().deadline()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.warmup().httpRounds()).isZero();
    assertThat(p.cache().maxSize()).isEqualTo(5);
    assertThat(p.batching().enabled()).isTrue();
    assertThat(p.upload().allowedHosts()).isEqualTo(List.of("a.example", "b.example"));
    assertThat(p.imageDecode().queueCapacity()).isEqualTo(7);
    assertThat(p.cors().allowedOrigins()).containsExactly("https://shop.example");
    assertThat(p.consistency().threshold()).isEqualTo(0.3);
  }
}
