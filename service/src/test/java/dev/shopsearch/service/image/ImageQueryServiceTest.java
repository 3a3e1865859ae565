package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.search.InvalidRequestException;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageQueryServiceTest {

  static ImageQueryService service(Map<String, String> settings) {
    var props = TestProperties.of(settings);
    var registry = new SimpleMeterRegistry();
    ModelHolder models = new ModelHolder();
    models.set(FakeClip.model("h", new FakeClip.Text()));
    return new ImageQueryService(
        models, new QueryEmbedder(models, props, new SearchMetrics(registry), registry), props);
  }

  static Deadline deadline() {
    return Deadline.start(Duration.ofSeconds(5), null);
  }

  @Test
  void privateAddressesAreRefusedByDefault() {
    try (ImageQueryService s = service(Map.of())) {
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
    try (ImageQueryService s = service(Map.of("shopsearch.upload.allow-url-fetch", "false"))) {
      assertThatThrownBy(() -> s.embedUrl("https://example.com/a.png", deadline()))
          .hasMessageContaining("disabled");
    }
  }

  @Test
  void decodesSniffedBytesNotDeclaredTypes() {
    try (ImageQueryService s = service(Map.of("shopsearch.upload.max-bytes", "4096"))) {
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
}
