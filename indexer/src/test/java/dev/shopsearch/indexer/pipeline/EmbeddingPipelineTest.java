package dev.shopsearch.indexer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.CatalogEntry;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.report.RejectLog;
import dev.shopsearch.indexer.testing.CountingEncoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EmbeddingPipelineTest {

  /** Products generated on demand, so the catalog itself holds no memory. */
  private static Iterator<CatalogEntry> products(int n, int imagesEach) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public CatalogEntry next() {
        int id = i++;
        List<String> refs = new ArrayList<>();
        for (int k = 0; k < imagesEach; k++) {
          refs.add("img-" + id + "-" + k);
        }
        return new Product("p" + id, "n", "d", List.of(), null, null, null, refs, Map.of(), id + 1);
      }
    };
  }

  /** Slow decoding that records whether it ever ran while the encoder was busy. */
  private static final class ObservingLoader implements ImageLoader {
    final AtomicInteger encoding = new AtomicInteger();
    final AtomicInteger preparingNow = new AtomicInteger();
    final AtomicInteger maxConcurrentPrepare = new AtomicInteger();
    final AtomicLong preparesDuringEncode = new AtomicLong();

    @Override
    public byte[] fetch(String ref) {
      return ref.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public float[] prepare(String ref, byte[] bytes) {
      int now = preparingNow.incrementAndGet();
      maxConcurrentPrepare.accumulateAndGet(now, Math::max);
      if (encoding.get() > 0) {
        preparesDuringEncode.incrementAndGet();
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      float[] px = new float[48];
      px[Math.floorMod(ref.hashCode(), 48)] = 1;
      px[Math.floorMod(ref.hashCode() >> 8, 48)] += 0.5f;
      preparingNow.decrementAndGet();
      return px;
    }
  }

  @Test
  void decodingOverlapsInferenceAndQueuesStayBounded() throws Exception {
    ObservingLoader loader = new ObservingLoader();
    CountingEncoder counting = new CountingEncoder(8);
    var encoder =
        new dev.shopsearch.core.encode.ImageEncoder() {
          @Override
          public int dim() {
            return 8;
          }

          @Override
          public int imageSize() {
            return 4;
          }

          @Override
          public List<float[]> encode(List<float[]> pixels) {
            loader.encoding.incrementAndGet();
            try {
              Thread.sleep(5);
              return counting.encode(pixels);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            } finally {
              loader.encoding.decrementAndGet();
            }
          }

          @Override
          public String executionProvider() {
            return "fake";
          }

          @Override
          public void close() {}
        };
    PipelineConfig config = new PipelineConfig(3, 4, 2, 5);
    PipelineStats stats = new PipelineStats();
    AtomicLong maxInFlight = new AtomicLong();
    Map<String, Integer> written = new ConcurrentHashMap<>();
    PipelineSink sink =
        new PipelineSink() {
          @Override
          public boolean wants(Product product, String contentHash) {
            return true;
          }

          @Override
          public void write(EncodedProduct p) {
            long inFlight = stats.productsRead.get() - stats.productsWritten.get();
            maxInFlight.accumulateAndGet(inFlight, Math::max);
            written.merge(p.product().id(), p.images().size(), Integer::sum);
            assertThat(p.images()).allSatisfy(v -> assertThat(v.vector()).hasSize(8));
          }
        };
    try (RejectLog rejects = new RejectLog(null)) {
      new EmbeddingPipeline(config, loader, encoder, EmbeddingCache.none(), rejects, stats)
          .run(products(300, 2), sink);
    }
    assertThat(written).hasSize(300).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
    assertThat(counting.images()).isEqualTo(600);
    assertThat(counting.calls()).as("batches of up to 4").isBetween(150L, 300L);
    assertThat(loader.maxConcurrentPrepare.get()).as("several decode threads").isGreaterThan(1);
    assertThat(loader.preparesDuringEncode.get()).as("decoding overlaps inference").isPositive();
    // read but not written: one in the reader's hand (counted before its put), queues of 2
    // products, 3 workers, a batch of 4 images (2 products) in the encoder, one in the writer
    assertThat(maxInFlight.get())
        .as("bounded pipeline")
        .isLessThanOrEqualTo(1 + 2 + 3 + 2 + 2 + 2 + 1);
  }

  @Test
  void sinkFailureStopsTheRun() throws Exception {
    PipelineSink failing =
        new PipelineSink() {
          @Override
          public boolean wants(Product product, String contentHash) {
            return true;
          }

          @Override
          public void write(EncodedProduct p) throws java.io.IOException {
            throw new java.io.IOException("disk full");
          }
        };
    try (RejectLog rejects = new RejectLog(null)) {
      var pipeline =
          new EmbeddingPipeline(
              new PipelineConfig(2, 4, 2, 5),
              new ObservingLoader(),
              new CountingEncoder(8),
              EmbeddingCache.none(),
              rejects,
              new PipelineStats());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> pipeline.run(products(10_000, 1), failing))
          .isInstanceOf(java.io.IOException.class)
          .hasMessage("disk full");
    }
  }
}
