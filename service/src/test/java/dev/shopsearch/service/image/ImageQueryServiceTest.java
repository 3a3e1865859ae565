package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.ManualClock;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ImageQueryServiceTest {

  /** The service over a model, with its own image threads, encoder and URL fetcher. */
  static final class Fixture implements AutoCloseable {
    final ImageWorkers workers;
    final QueryEmbedder embedder;
    final ImageUrlFetcher urls;
    final ImageQueryService service;

    Fixture(Map<String, String> settings, LoadedModel model) {
      this(settings, model, QueryImagePreprocessor::new);
    }

    Fixture(
        Map<String, String> settings,
        LoadedModel model,
        Function<UploadProperties, QueryImagePreprocessor> preprocessor) {
      this(settings, model, preprocessor, NanoClock.SYSTEM);
    }

    /** With {@code decodeCostClock} dating the decode-cost estimates. */
    Fixture(
        Map<String, String> settings,
        LoadedModel model,
        Function<UploadProperties, QueryImagePreprocessor> preprocessor,
        NanoClock decodeCostClock) {
      var props = TestProperties.of(settings);
      var registry = new SimpleMeterRegistry();
      ModelHolder models = new ModelHolder();
      models.set(model);
      workers = new ImageWorkers(props.imageDecode());
      embedder =
          new QueryEmbedder(
              models,
              props.batching(),
              props.cache(),
              props.overload(),
              new SearchMetrics(registry),
              registry);
      urls = new ImageUrlFetcher(props.upload());
      service =
          new ImageQueryService(
              models,
              embedder,
              preprocessor.apply(props.upload()),
              workers,
              urls,
              props.upload(),
              decodeCostClock);
    }

    @Override
    public void close() {
      workers.close();
      embedder.close();
      urls.close();
    }
  }

  static Fixture fixture(Map<String, String> settings) {
    return new Fixture(settings, FakeClip.model("h", new FakeClip.Text()));
  }

  static Deadline deadline() {
    return Deadline.start(Duration.ofSeconds(5), null);
  }

  @Test
  void privateAddressesAreRefusedByDefault() {
    try (Fixture f = fixture(Map.of())) {
      ImageQueryService s = f.service;
      assertThatThrownBy(() -> s.embedUrl("http://127.0.0.1:9/x.png", deadline()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("127.0.0.1");
      assertThatThrownBy(() -> s.embedUrl("http://169.254.169.254/latest/meta-data", deadline()))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> s.embedUrl("ftp://example.com/a.png", deadline()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("http(s)");
    }
  }

  @Test
  void urlFetchCanBeSwitchedOff() {
    try (Fixture f = fixture(Map.of("shopsearch.upload.allow-url-fetch", "false"))) {
      ImageQueryService s = f.service;
      assertThatThrownBy(() -> s.embedUrl("https://example.com/a.png", deadline()))
          .hasMessageContaining("disabled");
    }
  }

  @Test
  void decodesSniffedBytesNotDeclaredTypes() {
    try (Fixture f = fixture(Map.of("shopsearch.upload.max-bytes", "4096"))) {
      ImageQueryService s = f.service;
      float[] v = s.embedImage(TestImages.png(Color.BLUE, 16, 1), deadline());
      assertThat(v).containsExactly(FakeClip.embed("blue"));
      assertThatThrownBy(() -> s.embedImage("<html>".getBytes(), deadline()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("not a usable image");
      assertThatThrownBy(() -> s.embedImage(new byte[0], deadline()))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> s.embedImage(TestImages.png(Color.RED, 400, 2), deadline()))
          .isInstanceOf(ImageTooLargeException.class);
    }
  }

  /** The fake model with a CLIP-style {@code size}-pixel input (the fake's own is 8 pixels). */
  static LoadedModel withInputSize(int size) {
    BundleManifest m = FakeClip.manifest("h" + size);
    BundleManifest sized =
        new BundleManifest(
            m.name(),
            m.version(),
            m.contentHash(),
            m.dim(),
            m.similarity(),
            m.text(),
            m.image(),
            m.textSpec(),
            ImageSpec.clip(size),
            m.metadata());
    return new LoadedModel(sized, new FakeClip.Text(), new FakeClip.Image());
  }

  @Test
  void anAspectRatioTooExtremeToResizeIsTheClientsError() {
    // Decodable (80 kB of deflated black rows), within 40 MP, but for a 224-pixel model the long
    // side would be resized to 8,959,999,776 pixels: the core preprocessor's
    // IllegalArgumentException
    // used to surface as a 500 after decoding all 40 million pixels.
    byte[] tall = TestImages.blackGrayPng(1, 39_999_999);
    try (Fixture f = new Fixture(Map.of(), withInputSize(224))) {
      assertThatThrownBy(() -> f.service.embedImage(tall, deadline()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("aspect ratio")
          .hasMessageContaining("1x39999999")
          .hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
      assertThat(f.workers.running() + f.workers.queued()).isZero();
    }
  }

  @Test
  void thePixelBudgetIsCheckedFromTheHeaderBeforeAnyDecoding() {
    try (Fixture f = fixture(Map.of("shopsearch.upload.max-pixels", "1000"))) {
      assertThatThrownBy(() -> f.service.embedImage(TestImages.png(Color.RED, 40, 1), deadline()))
          .isInstanceOf(ImageTooLargeException.class)
          .hasMessageContaining("40x40 = 1600 pixels")
          .hasMessageContaining("limit of 1000 pixels")
          .hasMessageContaining("shopsearch.upload.max-pixels");
      assertThat(f.service.embedImage(TestImages.png(Color.RED, 31, 1), deadline()))
          .containsExactly(FakeClip.embed("red"));
    }
    try (Fixture f = fixture(Map.of())) {
      assertThatThrownBy(
              () -> f.service.embedImage(TestImages.blackGrayPng(7000, 7000), deadline()))
          .isInstanceOf(ImageTooLargeException.class)
          .hasMessageContaining("7000x7000 = 49000000 pixels")
          .hasMessageContaining("limit of 40000000 pixels");
    }
  }

  @Test
  void aSlowImageUrlGetsOnlyWhatIsLeftOfTheDeadline() throws IOException {
    byte[] png = TestImages.png(Color.GREEN, 16, 3);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/slow.png",
        ex -> {
          try {
            Thread.sleep(5000); // then answers: without the deadline the fetch would succeed
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, png.length);
          ex.getResponseBody().write(png);
          ex.close();
        });
    server.start();
    Map<String, String> settings =
        Map.of(
            "shopsearch.upload.allow-private-addresses", "true",
            "shopsearch.upload.allowed-hosts", "127.0.0.1",
            "shopsearch.upload.url-timeout", "30s");
    try (Fixture f = fixture(settings)) {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow.png";
      assertThatThrownBy(
              () -> f.service.embedUrl(url, Deadline.start(Duration.ofMillis(300), null)))
          .isInstanceOf(UpstreamImageException.class)
          .hasMessageContaining("ms budget");
    } finally {
      server.stop(0);
    }
  }

  /** Spins until told to stop, like a decode too slow for its deadline. */
  static final class NeverInTime extends QueryImagePreprocessor {
    final AtomicInteger runs = new AtomicInteger();

    NeverInTime(UploadProperties upload) {
      super(upload);
    }

    @Override
    public float[] preprocess(LoadedModel model, byte[] bytes, BooleanSupplier abandoned) {
      runs.incrementAndGet();
      while (!abandoned.getAsBoolean()) {
        Thread.onSpinWait();
      }
      throw new CancellationException("abandoned");
    }
  }

  @Test
  void anImageTheThreadsJustFailedToFinishInTimeIsRefusedWithoutRunning() {
    AtomicReference<NeverInTime> slow = new AtomicReference<>();
    // The estimate's age is on a manual clock that stands still: however long this machine takes
    // between the two requests, the estimate is not yet due for a probe (DecodeCost.PROBE_AFTER).
    try (Fixture f =
        new Fixture(
            Map.of("shopsearch.image-decode.threads", "1"),
            FakeClip.model("h", new FakeClip.Text()),
            p -> {
              slow.set(new NeverInTime(p));
              return slow.get();
            },
            new ManualClock())) {
      byte[] png = TestImages.png(Color.RED, 32, 1);
      assertThatThrownBy(
              () -> f.service.embedImage(png, Deadline.start(Duration.ofSeconds(2), null)))
          .isInstanceOf(OverloadedException.class);
      assertThat(slow.get().runs).hasValue(1);
      awaitIdleWorker(f.workers);
      // The same image with less time than the last one took is refused at once: no thread spent.
      assertThatThrownBy(
              () -> f.service.embedImage(png, Deadline.start(Duration.ofMillis(50), null)))
          .isInstanceOfSatisfying(
              OverloadedException.class, e -> assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE))
          .hasMessageContaining("50 ms deadline cannot be met")
          .hasMessageContaining("32x32 PNG");
      assertThat(slow.get().runs).hasValue(1);
    }
  }

  /**
   * The caller gives up at its deadline; the abandoned job records its cost on the image thread a
   * moment later. A no-op that runs on the one image thread proves that job has finished.
   */
  static void awaitIdleWorker(ImageWorkers workers) {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        workers.run(Deadline.start(Duration.ofSeconds(30), null), abandoned -> null);
        return;
      } catch (OverloadedException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}
