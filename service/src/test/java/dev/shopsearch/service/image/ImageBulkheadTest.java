package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestIndex;
import java.awt.Color;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Uploads can never starve text search: with every image thread held (a gate in the preprocessor,
 * not a slow machine) and its queue full, a further upload is refused at once and text searches are
 * still admitted and answered, because image decoding holds no admission slot. An upload past its
 * deadline gets its 503 and its decoding is told to stop. No assertion here depends on timing.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.overload.deadline=30s",
      "shopsearch.overload.max-in-flight=2",
      "shopsearch.image-decode.threads=1",
      "shopsearch.image-decode.queue-capacity=1"
    })
class ImageBulkheadTest {
  static final String HASH = "bu1khead";

  /** A preprocessor that can hold its thread, or wait for its abandon signal, on demand. */
  static final class GatedPreprocessor extends QueryImagePreprocessor {
    final Semaphore entered = new Semaphore(0);
    final Semaphore sawAbandon = new Semaphore(0);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean untilAbandoned;

    GatedPreprocessor(UploadProperties upload) {
      super(upload);
    }

    @Override
    public float[] preprocess(LoadedModel model, byte[] bytes, BooleanSupplier abandoned) {
      entered.release();
      if (untilAbandoned) {
        while (!abandoned.getAsBoolean()) {
          Thread.onSpinWait();
        }
        sawAbandon.release();
        throw new CancellationException("abandoned");
      }
      try {
        if (!gate.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.preprocess(model, bytes, abandoned);
    }
  }

  @TestConfiguration
  static class Config {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }

    @Bean
    @Primary
    GatedPreprocessor gatedPreprocessor(UploadProperties upload) {
      return new GatedPreprocessor(upload);
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    TestIndex.serveTemporary(registry, HASH, "p");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired GatedPreprocessor preprocessor;
  @Autowired ImageWorkers workers;
  @Autowired AdmissionControl admission;
  Http http;
  final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
    preprocessor.entered.drainPermits();
    preprocessor.sawAbandon.drainPermits();
  }

  @AfterEach
  void openGate() {
    preprocessor.gate.countDown();
    preprocessor.untilAbandoned = false;
    clients.shutdownNow();
  }

  Http.Response upload(Color colour) {
    return http.postMultipart(
        "/v1/search/image?k=3", Map.of("image", TestImages.png(colour, 32, 1)), Map.of());
  }

  @Test
  void textSearchIsAdmittedWhileEveryImageThreadIsHeldAndItsQueueIsFull() throws Exception {
    preprocessor.gate = new CountDownLatch(1);
    Future<Http.Response> running = clients.submit(() -> upload(Color.RED));
    assertThat(preprocessor.entered.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
    Future<Http.Response> queued = clients.submit(() -> upload(Color.BLUE));
    for (int i = 0; i < 6000 && workers.queued() < 1; i++) {
      Thread.sleep(10);
    }
    assertThat(workers.queued()).isEqualTo(1);

    Http.Response refused = upload(Color.GREEN);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("reason").asText()).isEqualTo("image_workers_full");
    assertThat(refused.header("Retry-After")).isNotNull();
    // Refused before its body is read: a malformed multipart body is not even looked at.
    Http.Response unread =
        http.post(
            "/v1/search/image", "multipart/form-data; boundary=x", "not multipart".getBytes());
    assertThat(unread.status()).isEqualTo(503);
    assertThat(unread.json().get("reason").asText()).isEqualTo("image_workers_full");

    // Two uploads are in the service, yet neither holds one of the 2 admission slots ...
    assertThat(admission.inFlight()).isZero();
    // ... so text searches are admitted and answered meanwhile.
    for (String q : new String[] {"red dress", "blue jacket", "green sneakers"}) {
      Http.Response text = http.get("/v1/search?k=3&q=" + q.replace(' ', '+'));
      assertThat(text.status()).as(text.body()).isEqualTo(200);
      assertThat(text.json().get("hits").get(0).get("name").asText()).isEqualTo(q);
    }
    assertThat(running.isDone()).isFalse();

    preprocessor.gate.countDown();
    Http.Response red = running.get(60, TimeUnit.SECONDS);
    Http.Response blue = queued.get(60, TimeUnit.SECONDS);
    assertThat(red.status()).isEqualTo(200);
    assertThat(red.json().get("hits").get(0).get("name").asText()).startsWith("red ");
    assertThat(blue.status()).isEqualTo(200);
    assertThat(blue.json().get("hits").get(0).get("name").asText()).startsWith("blue ");
  }

  @Test
  void anUploadPastItsDeadlineIsAnsweredAndItsDecodingToldToStop() throws Exception {
    preprocessor.untilAbandoned = true;
    Http.Response late =
        http.postMultipart(
            "/v1/search/image",
            Map.of("image", TestImages.png(Color.RED, 32, 1)),
            Map.of(),
            Map.of("X-Request-Deadline-Ms", "300"));
    assertThat(late.status()).isEqualTo(503);
    assertThat(late.json().get("reason").asText()).isEqualTo("deadline");
    assertThat(late.json().get("detail").asText()).contains("300 ms deadline");
    preprocessor.untilAbandoned = false;
    // The single image thread is free again: the next upload is served.
    Http.Response next = upload(Color.BLUE);
    assertThat(next.status()).isEqualTo(200);
    // The late upload's work stopped on its signal (or, dropped at its deadline, never started).
    assertThat(preprocessor.entered.availablePermits())
        .isEqualTo(preprocessor.sawAbandon.availablePermits() + 1);
  }
}
