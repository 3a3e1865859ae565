package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared catalogs index out of the box ({@code --mapping auto}) through the real fetcher,
 * decoder and a tiny real CLIP bundle; limited to the first products (Magento's photos are
 * 1000x1240) to stay quick. Skipped when ../shared is absent.
 */
@org.junit.jupiter.api.Tag("slow")
class SharedCatalogsBuildTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"datasets/magento-luma/catalog.jsonl, 6", "datasets/fashion-myntra/catalog.csv, 40"})
  void buildsTheFirstProductsOfASharedCatalog(String relative, int limit) throws Exception {
    Path catalog = SharedData.require(relative);
    Path bundle = TinyClipBundle.create(tmp.resolve("bundle"), 3).dir();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit =
        cl.execute(
            "build",
            "--index",
            tmp.resolve("index").toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--limit",
            Integer.toString(limit),
            "--progress",
            "none",
            "--threads",
            "2");
    assertThat(exit).as(err.toString()).isZero();
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertThat(r.get("published").asBoolean()).isTrue();
    assertThat(r.get("productsIndexed").asLong()).isEqualTo(limit);
    assertThat(r.get("productsRejected").asLong()).isZero();
    assertThat(r.get("imagesIndexed").asLong()).isGreaterThanOrEqualTo(limit);
  }
}
