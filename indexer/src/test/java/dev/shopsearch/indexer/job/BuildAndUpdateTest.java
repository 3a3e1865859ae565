package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.encode.EncoderException;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMismatchException;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.FakeImageLoader;
import dev.shopsearch.indexer.testing.TestCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildAndUpdateTest {
  private static final int DIM = 16;

  @TempDir Path tmp;

  private final BundleManifest bundle = TestCatalog.manifest(DIM);

  private JobConfig config(TestCatalog catalog) {
    return JobConfig.builder(catalog.file(), FieldMapping.magentoLuma(), tmp.resolve("index"))
        .pipeline(new PipelineConfig(3, 8, 4, 5))
        .build();
  }

  private JobResult build(JobConfig cfg, CountingEncoder enc, Path catalogDir) throws Exception {
    return new IndexBuilder(cfg, bundle, new FakeImageLoader(catalogDir), enc, Reporting.none())
        .run();
  }

  private JobResult update(JobConfig cfg, CountingEncoder enc, Path catalogDir) throws Exception {
    return new IndexUpdater(cfg, bundle, new FakeImageLoader(catalogDir), enc, Reporting.none())
        .run();
  }

  private static long count(OpenIndex open, String field, String value) throws IOException {
    return new IndexSearcher(open.reader()).count(new TermQuery(new Term(field, value)));
  }

  @Test
  void buildIndexesEveryProductAndPublishes() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 1).addProducts(120);
    catalog.write();
    int images = 0;
    for (int i = 0; i < catalog.size(); i++) {
      images += catalog.imageCount(i);
    }
    CountingEncoder enc = new CountingEncoder(DIM);
    JobResult r = build(config(catalog), enc, catalog.dir());
    assertThat(r.published()).isTrue();
    assertThat(r.generation()).isEqualTo(1);
    assertThat(r.productsIndexed()).isEqualTo(120);
    assertThat(r.imagesIndexed()).isEqualTo(images);
    assertThat(enc.images()).isEqualTo(images);
    assertThat(enc.calls()).as("batched").isLessThan(images);
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      assertThat(open.metadata().products()).isEqualTo(120);
      assertThat(open.metadata().images()).isEqualTo(images);
      assertThat(open.metadata().modelHash()).isEqualTo("feedface");
      assertThat(open.metadata().catalogChecksum()).hasSize(64);
      assertThat(count(open, IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)).isEqualTo(120);
      assertThat(count(open, IndexSchema.PRODUCT_ID, catalog.id(7)))
          .isEqualTo(1 + catalog.imageCount(7));
    }

    // A second full build finds every vector in the cache.
    CountingEncoder enc2 = new CountingEncoder(DIM);
    JobResult again = build(config(catalog), enc2, catalog.dir());
    assertThat(again.generation()).isEqualTo(2);
    assertThat(enc2.images()).isZero();
    assertThat(again.cacheHits()).isEqualTo(images);
  }

  @Test
  void updateReencodesOnlyChangedImagesAndAppliesDeletes() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 2).addProducts(300);
    catalog.write();
    JobConfig cfg = config(catalog);
    build(cfg, new CountingEncoder(DIM), catalog.dir());

    // 1% changed: 3 products get a new first image; one renamed (text only); one removed; two added
    catalog.changeImage(10);
    catalog.changeImage(20);
    catalog.changeImage(30);
    catalog.rename(40, "Renamed product");
    String removed = catalog.id(50);
    catalog.remove(50);
    catalog.addProducts(2);
    int addedImages =
        catalog.imageCount(catalog.size() - 1) + catalog.imageCount(catalog.size() - 2);
    catalog.write();

    CountingEncoder enc = new CountingEncoder(DIM);
    JobResult r = update(cfg, enc, catalog.dir());
    assertThat(r.published()).isTrue();
    assertThat(r.generation()).isEqualTo(2);
    assertThat(enc.images())
        .as("only the changed and added images are encoded")
        .isEqualTo(3 + addedImages);
    assertThat(r.productsIndexed()).isEqualTo(3 + 1 + 2);
    assertThat(r.productsUnchanged()).isEqualTo(300 - 1 - 4);
    assertThat(r.productsDeleted()).isEqualTo(1);
    IndexGenerations gens = new IndexGenerations(tmp.resolve("index"));
    try (OpenIndex now = gens.openCurrent();
        OpenIndex before = IndexGenerations.open(gens.list().get(0))) {
      assertThat(now.metadata().products()).isEqualTo(301);
      assertThat(count(now, IndexSchema.PRODUCT_ID, removed)).isZero();
      assertThat(count(before, IndexSchema.PRODUCT_ID, removed))
          .as("old generation untouched")
          .isPositive();
      assertThat(count(now, IndexSchema.NAME, "renamed")).isEqualTo(1);
      assertThat(count(now, IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)).isEqualTo(301);
    }

    // Nothing changed: no new generation.
    CountingEncoder idle = new CountingEncoder(DIM);
    JobResult none = update(cfg, idle, catalog.dir());
    assertThat(none.published()).isFalse();
    assertThat(none.message()).contains("no changes");
    assertThat(idle.images()).isZero();
    assertThat(gens.current().orElseThrow().number()).isEqualTo(2);
  }

  @Test
  void rejectRateAboveThresholdPublishesNothing() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 3).addProducts(20);
    catalog.write();
    build(config(catalog), new CountingEncoder(DIM), catalog.dir());
    for (int i = 0; i < 3; i++) {
      catalog.addProductWithMissingImage("gone" + i);
    }
    catalog.addProductWithImageBytes("fake", "not-an-image, just text".getBytes());
    catalog.write();
    Path rejects = tmp.resolve("rejects.jsonl");
    JobResult r =
        build(
            config(catalog).toBuilder().rejectsFile(rejects).build(),
            new CountingEncoder(DIM),
            catalog.dir());
    assertThat(r.published()).isFalse();
    assertThat(r.productsRejected()).isEqualTo(4);
    assertThat(r.rejectRate()).isCloseTo(4 / 24.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.rejectsByKind())
        .containsEntry("product:NOT_FOUND", 3L)
        .containsEntry("product:NOT_AN_IMAGE", 1L);
    assertThat(Files.readAllLines(rejects))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).contains("\"stage\":\"product\""));
    IndexGenerations gens = new IndexGenerations(tmp.resolve("index"));
    assertThat(gens.current().orElseThrow().number()).isEqualTo(1);
    assertThat(gens.list()).hasSize(1);

    JobResult lenient =
        build(
            config(catalog).toBuilder().maxRejectRate(0.5).build(),
            new CountingEncoder(DIM),
            catalog.dir());
    assertThat(lenient.published()).isTrue();
    assertThat(lenient.productsIndexed()).isEqualTo(20);
  }

  @Test
  void encoderFailureAbortsAndLeavesThePreviousGenerationLive() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 4).addProducts(30);
    catalog.write();
    build(config(catalog), new CountingEncoder(DIM), catalog.dir());
    catalog.addProducts(30);
    catalog.write();
    CountingEncoder broken = new CountingEncoder(DIM);
    broken.failWith(new EncoderException("model exploded"));
    assertThatThrownBy(() -> build(config(catalog), broken, catalog.dir()))
        .isInstanceOf(EncoderException.class)
        .hasMessage("model exploded");
    IndexGenerations gens = new IndexGenerations(tmp.resolve("index"));
    assertThat(gens.current().orElseThrow().number()).isEqualTo(1);
    assertThat(gens.list()).as("failed generation removed").hasSize(1);
    try (OpenIndex open = gens.openCurrent()) {
      assertThat(open.metadata().products()).isEqualTo(30);
    }
  }

  @Test
  void updateRefusesAnotherModel() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 5).addProducts(5);
    catalog.write();
    build(config(catalog), new CountingEncoder(DIM), catalog.dir());
    BundleManifest other = bundle.withContentHash("0ther");
    assertThatThrownBy(
            () ->
                new IndexUpdater(
                        config(catalog),
                        other,
                        new FakeImageLoader(catalog.dir()),
                        new CountingEncoder(DIM),
                        Reporting.none())
                    .run())
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("model hash: index=feedface bundle=0ther");
    assertThat(new IndexGenerations(tmp.resolve("index")).list()).hasSize(1);
  }

  @Test
  void updateRefusesAnIndexOfAnotherSchemaVersion() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 5).addProducts(5);
    catalog.write();
    build(config(catalog), new CountingEncoder(DIM), catalog.dir());
    IndexGenerations gens = new IndexGenerations(tmp.resolve("index"));
    Path live = gens.current().orElseThrow().dir();
    try (Directory dir = FSDirectory.open(live);
        IndexWriter w =
            new IndexWriter(
                dir, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> data = new HashMap<>();
      w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.put("shopsearch.schema_version", "1");
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
    assertThatThrownBy(() -> update(config(catalog), new CountingEncoder(DIM), catalog.dir()))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("has schema version 1 but this indexer writes version 4")
        .hasMessageContaining("indexer build");
    assertThat(gens.list()).as("nothing written").hasSize(1);
  }
}
