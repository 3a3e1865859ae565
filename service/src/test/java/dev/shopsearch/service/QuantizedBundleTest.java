package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.service.testing.BruteForce;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.tooling.onnx.BundleQuantizer;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service serving queries with an int8 copy of a bundle ({@code trainer quantize}) over an
 * index built with the float original: the index is accepted (the copy records the original's
 * hash), and vector search ranks exactly as brute force over the copy's query embeddings.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class QuantizedBundleTest {
  static ModelBundle original;
  static ModelBundle int8;
  static TextEncoder int8Text;
  static final Map<String, List<float[]>> VECTORS = new HashMap<>();

  @DynamicPropertySource
  static void setUp(DynamicPropertyRegistry registry) throws IOException {
    Path tmp = Files.createTempDirectory("shopsearch-int8");
    original = TinyClipBundle.create(tmp.resolve("fp32"), 42);
    int8 =
        BundleQuantizer.quantize(original, tmp.resolve("int8"), BundleQuantizer.Options.defaults())
            .bundle();
    int8Text = Encoders.text(int8, EncoderOptions.cpu());
    ImagePreprocessor pre = new ImagePreprocessor(original.manifest().imageSpec());
    Color[] palette = {Color.RED, Color.BLUE, Color.GREEN, Color.BLACK, Color.YELLOW};
    List<Product> products = TestIndex.catalog("q");
    try (ImageEncoder image = Encoders.image(original, EncoderOptions.cpu())) {
      TestIndex.publish(
          tmp.resolve("index"),
          original.manifest(),
          products,
          (p, i) -> {
            int n = Integer.parseInt(p.id().substring(1));
            byte[] png = TestImages.png(palette[(n + i) % palette.length], 40, n * 10L + i);
            float[] v = image.encode(List.of(pre.preprocess(png))).get(0);
            VECTORS.computeIfAbsent(p.id(), k -> new java.util.ArrayList<>()).add(v);
            return v;
          });
    }
    registry.add("shopsearch.model.bundle-dir", () -> int8.dir().toString());
    registry.add("shopsearch.index.root", () -> tmp.resolve("index").toString());
  }

  @AfterAll
  static void close() {
    int8Text.close();
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  Http http;

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
  }

  @Test
  void servesAnIndexBuiltWithTheFloatOriginal() {
    JsonNode info = http.get("/v1/info").json();
    assertThat(info.toString()).contains(int8.manifest().contentHash().substring(0, 12));
    for (String q : List.of("red leather handbag", "blue denim jacket", "black sneakers")) {
      JsonNode body = http.get("/v1/search?mode=vector&k=3&q=" + q.replace(' ', '+')).json();
      assertThat(body.get("hits")).hasSize(3);
      assertThat(body.get("hits").get(0).get("id").asText())
          .as("top hit for '%s'", q)
          .isEqualTo(BruteForce.best(VECTORS, int8Text.encode(q)));
    }
  }
}
