package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.TestCatalog;
import dev.shopsearch.indexer.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deliberately broken catalog, through the real fetcher (core ImageSource) and decoder (core
 * ImagePreprocessor): exactly the expected rejects, and a usable index of the rest.
 */
class BrokenCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static String row(String id, String price, String... images) {
    String imgs = String.join(",", Arrays.stream(images).map(i -> "\"" + i + "\"").toList());
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"name\":\"Item %s\",\"description\":\"d\",\"categories\":[\"Men / Tops\"],"
            + "\"color\":\"Red\",\"price\":%s,\"images\":[%s]}",
        id,
        id,
        price,
        imgs);
  }

  @Test
  void brokenRowsAndImagesAreRejectedOneByOne() throws Exception {
    Path cat = tmp.resolve("catalog");
    Files.createDirectories(cat.resolve("images"));
    Random rnd = new Random(11);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Files.write(cat.resolve("images/good" + i + ".jpg"), TestImages.jpeg(rnd, 48, 40));
      lines.add(row("good" + i, "19.99", "images/good" + i + ".jpg"));
    }
    // a kept product with one bad image among two
    lines.add(row("mixed", "5", "images/good0.jpg", "images/absent.jpg"));
    byte[] jpeg = TestImages.jpeg(rnd, 64, 64);
    Files.write(cat.resolve("images/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    lines.add(row("truncated", "1", "images/truncated.jpg"));
    Files.writeString(cat.resolve("images/text.jpg"), "this is not a JPEG\n");
    lines.add(row("text", "1", "images/text.jpg"));
    Files.write(cat.resolve("images/huge.png"), TestImages.pngHeader(30000, 30000));
    lines.add(row("huge", "1", "images/huge.png"));
    lines.add(row("missing", "1", "images/missing.jpg"));
    lines.add(row("escape", "1", "../../etc/passwd"));
    lines.add(row("good3", "2", "images/good1.jpg")); // duplicate id
    lines.add(row("badprice", "\"cheap\"", "images/good2.jpg"));
    Path catalog = cat.resolve("catalog.jsonl");
    Files.writeString(catalog, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

    Path rejects = tmp.resolve("rejects.jsonl");
    JobConfig config =
        JobConfig.builder(catalog, FieldMapping.magentoLuma(), tmp.resolve("index"))
            .pipeline(new PipelineConfig(2, 4, 4, 5))
            .maxRejectRate(0.5)
            .rejectsFile(rejects)
            .build();
    var bundle = TestCatalog.manifest(16);
    CountingEncoder encoder = new CountingEncoder(16, bundle.imageSpec().size());
    JobResult r;
    try (ImageSource source = ImageSource.forCatalog(catalog, FetchOptions.defaults())) {
      var loader = new SourceImageLoader(source, new ImagePreprocessor(bundle.imageSpec()));
      r = new IndexBuilder(config, bundle, loader, encoder, Reporting.none()).run();
    }

    assertThat(r.published()).isTrue();
    assertThat(r.catalogRows()).isEqualTo(28);
    assertThat(r.productsIndexed()).isEqualTo(21);
    assertThat(r.productsRejected()).isEqualTo(7);
    assertThat(r.imagesRejected()).isEqualTo(1);
    assertThat(r.rejectsByKind())
        .containsOnly(
            java.util.Map.entry("catalog:DUPLICATE_ID", 1L),
            java.util.Map.entry("catalog:BAD_PRICE", 1L),
            java.util.Map.entry("product:TRUNCATED", 1L),
            java.util.Map.entry("product:NOT_AN_IMAGE", 1L),
            java.util.Map.entry("product:TOO_LARGE", 1L),
            java.util.Map.entry("product:NOT_FOUND", 1L),
            java.util.Map.entry("product:PATH_ESCAPE", 1L),
            java.util.Map.entry("image:NOT_FOUND", 1L));

    List<JsonNode> lines2 = new ArrayList<>();
    for (String l : Files.readAllLines(rejects)) {
      lines2.add(JSON.readTree(l));
    }
    assertThat(lines2).hasSize(8);
    JsonNode huge =
        lines2.stream()
            .filter(n -> "huge".equals(n.get("id").asText(null)))
            .findFirst()
            .orElseThrow();
    assertThat(huge.get("row").asLong()).isEqualTo(24);
    assertThat(huge.get("reason").asText()).contains("30000");
    JsonNode escape =
        lines2.stream()
            .filter(n -> "escape".equals(n.get("id").asText(null)))
            .findFirst()
            .orElseThrow();
    assertThat(escape.get("image").asText()).isEqualTo("../../etc/passwd");

    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      IndexSearcher s = new IndexSearcher(open.reader());
      assertThat(open.metadata().products()).isEqualTo(21);
      assertThat(open.metadata().images()).isEqualTo(21);
      assertThat(s.count(new TermQuery(new Term(IndexSchema.PRODUCT_ID, "mixed")))).isEqualTo(2);
      for (String bad : List.of("truncated", "text", "huge", "missing", "escape", "badprice")) {
        assertThat(s.count(new TermQuery(new Term(IndexSchema.PRODUCT_ID, bad)))).as(bad).isZero();
      }
      // the first "good3" row won; its price is the one indexed
      var hits = s.search(new TermQuery(new Term(IndexSchema.PRODUCT_ID, "good3")), 5);
      assertThat(hits.scoreDocs).hasSize(2);
    }
    var verify =
        new IndexVerifier(10, 5, 100, 0.9, 1, true)
            .verify(new IndexGenerations(tmp.resolve("index")));
    assertThat(verify.passed()).as(verify.problems().toString()).isTrue();
  }
}
