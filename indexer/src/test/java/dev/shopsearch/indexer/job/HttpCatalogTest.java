package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.TestCatalog;
import dev.shopsearch.indexer.testing.TestImages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image URLs served by a real HTTP server on 127.0.0.1: good, 404, 500, and the SSRF rule. */
class HttpCatalogTest {
  @TempDir Path tmp;

  private JobResult build(Path catalog, FetchOptions fetch) throws Exception {
    var bundle = TestCatalog.manifest(16);
    JobConfig cfg =
        JobConfig.builder(catalog, FieldMapping.magentoLuma(), tmp.resolve("index"))
            .pipeline(new PipelineConfig(2, 4, 4, 5))
            .maxRejectRate(1)
            .build();
    try (ImageSource source = ImageSource.forCatalog(catalog, fetch)) {
      var loader = new SourceImageLoader(source, new ImagePreprocessor(bundle.imageSpec()));
      return new IndexBuilder(
              cfg,
              bundle,
              loader,
              new CountingEncoder(16, bundle.imageSpec().size()),
              Reporting.none())
          .run();
    }
  }

  @Test
  void httpImagesAreFetchedAndHttpErrorsRejectOneProductEach() throws Exception {
    byte[] jpeg = TestImages.jpeg(new Random(3), 40, 40);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          if (path.startsWith("/img/")) {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, jpeg.length);
            ex.getResponseBody().write(jpeg);
          } else if (path.equals("/broken")) {
            ex.sendResponseHeaders(500, -1);
          } else {
            ex.sendResponseHeaders(404, -1);
          }
          ex.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        lines.add(row("ok" + i, base + "/img/" + i + ".jpg"));
      }
      lines.add(row("gone", base + "/nothing.jpg"));
      lines.add(row("error", base + "/broken"));
      Path catalog = tmp.resolve("catalog.jsonl");
      Files.writeString(catalog, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

      FetchOptions local =
          FetchOptions.defaults()
              .withAllowPrivateAddresses(true)
              .withRetries(2, Duration.ofMillis(10));
      JobResult r = build(catalog, local);
      assertThat(r.productsIndexed()).isEqualTo(5);
      assertThat(r.rejectsByKind())
          .containsOnly(Map.entry("product:NOT_FOUND", 1L), Map.entry("product:HTTP_STATUS", 1L));

      // Default options: a URL resolving to loopback is refused (SSRF), every product rejected.
      JobResult refused = build(catalog, FetchOptions.defaults());
      assertThat(refused.published()).isFalse();
      assertThat(refused.rejectsByKind()).containsOnly(Map.entry("product:FORBIDDEN_ADDRESS", 7L));
    } finally {
      server.stop(0);
    }
  }

  private static String row(String id, String url) {
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"name\":\"n\",\"description\":\"d\",\"price\":1,\"images\":[\"%s\"]}",
        id,
        url);
  }
}
