package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.report.RejectLog;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.FakeImageLoader;
import dev.shopsearch.indexer.testing.TestCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3: one row with a 40,000-character id or colour used to abort the whole build
 * ("immense term"); now it is that row's reject and the rest is published.
 */
class OverlongFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIM = 8;
  private static final String HUGE = "x".repeat(40_000);

  @TempDir Path tmp;

  private final BundleManifest bundle = TestCatalog.manifest(DIM);

  private JobConfig config(TestCatalog catalog, Path rejects) {
    return JobConfig.builder(catalog.file(), FieldMapping.magentoLuma(), tmp.resolve("index"))
        .pipeline(new PipelineConfig(2, 8, 4, 5))
        .maxRejectRate(0.5)
        .rejectsFile(rejects)
        .build();
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void anOverlongFieldRejectsItsRowAndTheBuildPublishesTheRest() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 3).addProducts(20);
    catalog.put(4, "color", HUGE);
    catalog.put(9, "id", HUGE);
    catalog.write();
    Path rejects = tmp.resolve("build-rejects.jsonl");

    JobResult r =
        new IndexBuilder(
                config(catalog, rejects),
                bundle,
                new FakeImageLoader(catalog.dir()),
                new CountingEncoder(DIM),
                Reporting.none())
            .run();

    assertThat(r.published()).isTrue();
    assertThat(r.productsIndexed()).isEqualTo(18);
    assertThat(r.rejectsByKind()).containsOnly(Map.entry("catalog:FIELD_TOO_LONG", 2L));
    List<JsonNode> lines = lines(rejects);
    assertThat(lines).hasSize(2);
    JsonNode colour = lines.get(0);
    assertThat(colour.get("row").asLong()).isEqualTo(5);
    assertThat(colour.get("id").asText()).isEqualTo(catalog.id(4));
    assertThat(colour.get("field").asText()).isEqualTo("color");
    assertThat(colour.get("length").asInt()).isEqualTo(40_000);
    assertThat(colour.get("limit").asInt()).isEqualTo(256);
    assertThat(colour.get("reason").asText())
        .isEqualTo("field 'color' (colour) has 40000 characters, more than the limit of 256");
    JsonNode id = lines.get(1);
    assertThat(id.get("row").asLong()).isEqualTo(10);
    assertThat(id.get("field").asText()).isEqualTo("id");
    assertThat(id.get("id").asText()).hasSizeLessThan(256).endsWith("…");
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      assertThat(open.metadata().products()).isEqualTo(18);
    }
  }

  @Test
  void anUpdateThatMakesAFieldOverlongDeletesTheProduct() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 4).addProducts(20);
    catalog.write();
    JobConfig cfg = config(catalog, tmp.resolve("rejects.jsonl"));
    FakeImageLoader loader = new FakeImageLoader(catalog.dir());
    new IndexBuilder(cfg, bundle, loader, new CountingEncoder(DIM), Reporting.none()).run();

    catalog.put(2, "color", HUGE);
    catalog.write();
    JobResult u =
        new IndexUpdater(cfg, bundle, loader, new CountingEncoder(DIM), Reporting.none()).run();

    assertThat(u.published()).isTrue();
    assertThat(u.productsDeleted()).isEqualTo(1);
    assertThat(u.totalProducts()).isEqualTo(19);
    assertThat(u.rejectsByKind()).containsOnly(Map.entry("catalog:FIELD_TOO_LONG", 1L));
  }

  /** A block Lucene refuses (here: a product that bypassed the reader's limits) is one reject. */
  @Test
  void aBlockTheIndexRefusesIsThatProductsRejectAndTheWriterGoesOn() throws Exception {
    ProductDocuments docs = new ProductDocuments(DIM, Similarity.COSINE);
    Path rejectsFile = tmp.resolve("refused.jsonl");
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig());
        RejectLog rejects = new RejectLog(rejectsFile)) {
      BlockWriter blocks = new BlockWriter(writer, docs, rejects);
      float[] v = new float[DIM];
      v[0] = 1;
      List<ImageVector> images = List.of(new ImageVector("a.jpg", 0, v));

      assertThat(blocks.add(product("ok1", "Red", 1), images, "h", null)).isTrue();
      assertThat(blocks.add(product("bad", HUGE, 2), images, "h", null)).isFalse();
      assertThat(blocks.replace(product("ok1", HUGE, 3), images, "h", null)).isFalse();
      assertThat(blocks.add(product("ok2", "Blue", 4), images, "h", null)).isTrue();
      writer.commit();

      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(reader);
        assertThat(JobSupport.countType(reader, "product")).isEqualTo(2);
        assertThat(s.count(new org.apache.lucene.search.TermQuery(ProductDocuments.idTerm("bad"))))
            .isZero();
        // the refused replacement left the old block of ok1 in place (the updater deletes it)
        assertThat(s.count(new org.apache.lucene.search.TermQuery(ProductDocuments.idTerm("ok1"))))
            .isEqualTo(2);
      }
      assertThat(rejects.productRejects()).isEqualTo(2);
      assertThat(rejects.countsByKind()).containsOnly(Map.entry("product:INDEX_REFUSED", 2L));
    }
    List<JsonNode> lines = lines(rejectsFile);
    assertThat(lines.get(0).get("row").asLong()).isEqualTo(2);
    assertThat(lines.get(0).get("id").asText()).isEqualTo("bad");
    assertThat(lines.get(0).get("reason").asText())
        .startsWith("the index refused the product's documents: ")
        .contains("immense term", "colour");
  }

  private static Product product(String id, String colour, long row) {
    return new Product(
        id, "n", "d", List.of(), colour, null, null, List.of("a.jpg"), Map.of(), row);
  }
}
