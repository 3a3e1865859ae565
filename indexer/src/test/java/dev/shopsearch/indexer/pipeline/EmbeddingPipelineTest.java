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
    CountingEncoder encoder = new CountingEncoder(8);
    encoder.intercept(
        (pixels, encode) -> {
          loader.encoding.incrementAndGet();
          try {
            Thread.sleep(5);
            return encode.get();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          } finally {
            loader.encoding.decrementAndGet();
          }
        });
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
          public boolean write(EncodedProduct p) {
            long inFlight = stats.productsRead.get() - stats.productsWritten.get();
            maxInFlight.accumulateAndGet(inFlight, Math::max);
            written.merge(p.product().id(), p.images().size(), Integer::sum);
            assertThat(p.images()).allSatisfy(v -> assertThat(v.vector()).hasSize(8));
            return true;
          }
        };
    try (RejectLog rejects = new RejectLog(null)) {
      new EmbeddingPipeline(config, loader, encoder, EmbeddingCache.none(), rejects, stats)
          .run(products(300, 2), sink);
    }
    assertThat(written).hasSize(300).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
    assertThat(encoder.images()).isEqualTo(600);
    assertThat(encoder.calls()).as("batches of up to 4").isBetween(150L, 300L);
    assertThat(loader.maxConcurrentPrepare.get()).as("several decode threads").isGreaterThan(1);
    assertThat(loader.preparesDuringEncode.get()).as("decoding overlaps inference").isPositive();
    // queues of 2 products, 3 workers, a batch of 4 images (2 products), one in the writer, and
    // the one the reader has counted as read while it waits to put it into the full work queue
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
          public boolean write(EncodedProduct p) throws java.io.IOException {
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

  /** Product i shows photo (i % photos), and photo 0 is not an image: bytes decide, not names. */
  private static Iterator<CatalogEntry> sharing(int n, int photos) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public CatalogEntry next() {
        int id = i++;
        List<String> refs = List.of("dir-" + id + "/photo-" + (id % photos), "own-" + id);
        return new Product("p" + id, "n", "d", List.of(), null, null, null, refs, Map.of(), id + 1);
      }
    };
  }

  /** Bytes = the file name (so the same name in any folder is the same photo); counts decodes. */
  private static final class SharedPhotos implements ImageLoader {
    final Map<String, AtomicInteger> decodes = new ConcurrentHashMap<>();

    @Override
    public byte[] fetch(String ref) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public float[] prepare(String ref, byte[] bytes) throws ImageRejectedException {
      String name = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      decodes.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(1); // let other workers meet the same photo while it is being decoded
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (name.equals("photo-0")) {
        throw new ImageRejectedException("NOT_AN_IMAGE", ref + " is not an image");
      }
      float[] px = new float[48];
      px[Math.floorMod(name.hashCode(), 48)] = 1;
      px[Math.floorMod(name.hashCode() >> 8, 48)] += 0.5f;
      return px;
    }
  }

  private static final class CollectingSink implements PipelineSink {
    final Map<String, List<float[]>> vectors = new ConcurrentHashMap<>();

    @Override
    public boolean wants(Product product, String contentHash) {
      return true;
    }

    @Override
    public boolean write(EncodedProduct p) {
      vectors.put(p.product().id(), p.images().stream().map(v -> v.vector()).toList());
      return true;
    }
  }

  @Test
  void identicalPhotosUnderSeveralProductsAreDecodedAndEncodedOncePerRun() throws Exception {
    SharedPhotos loader = new SharedPhotos();
    CountingEncoder encoder = new CountingEncoder(8);
    PipelineStats stats = new PipelineStats();
    CollectingSink sink = new CollectingSink();
    try (RejectLog rejects = new RejectLog(null)) {
      new EmbeddingPipeline(
              new PipelineConfig(4, 8, 4, 5),
              loader,
              encoder,
              EmbeddingCache.none(),
              rejects,
              stats)
          .run(sharing(400, 10), sink);
      // photo-0 fails for each of its 40 products; they keep their own image
      assertThat(rejects.imageRejects()).isEqualTo(40);
      assertThat(rejects.productRejects()).isZero();
    }
    // 9 good shared photos + 400 own photos, each through the encoder once
    assertThat(encoder.images()).isEqualTo(9 + 400);
    assertThat(stats.imagesEncoded.get()).isEqualTo(409);
    assertThat(stats.duplicateImages.get()).isEqualTo(400 - 40 - 9);
    assertThat(stats.imagesIndexed.get()).isEqualTo(400 + 400 - 40);
    loader.decodes.remove("photo-0"); // a failed decode is not shared: each product tries it
    assertThat(loader.decodes)
        .as("each good photo decoded once")
        .hasSize(9 + 400)
        .allSatisfy((name, n) -> assertThat(n.get()).as(name).isEqualTo(1));
    assertThat(sink.vectors).hasSize(400);
    float[] first = sink.vectors.get("p1").get(0);
    assertThat(sink.vectors.get("p391").get(0)).as("p1 and p391 show photo-1").isEqualTo(first);
  }

  @Test
  void identicalPhotosReuseTheVectorAfterTheirFirstProductIsWritten() throws Exception {
    SharedPhotos loader = new SharedPhotos();
    CountingEncoder encoder = new CountingEncoder(8);
    PipelineStats stats = new PipelineStats();
    // one worker, queues of one: the first product of each photo is written long before the next
    try (RejectLog rejects = new RejectLog(null)) {
      new EmbeddingPipeline(
              new PipelineConfig(1, 1, 1, 0),
              loader,
              encoder,
              EmbeddingCache.none(),
              rejects,
              stats)
          .run(sharing(60, 3), new CollectingSink());
    }
    assertThat(encoder.images()).isEqualTo(2 + 60);
    assertThat(stats.duplicateImages.get()).isEqualTo(60 - 20 - 2);
  }
}
