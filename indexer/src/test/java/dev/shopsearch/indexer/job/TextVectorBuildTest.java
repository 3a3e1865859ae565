package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.testing.ConstantTextEncoder;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.FakeImageLoader;
import dev.shopsearch.indexer.testing.TestCatalog;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build with the text tower writes one text vector per product (schema version 4); an update
 * re-encodes a product's text only when its name or description changed; a build without a text
 * tower writes none.
 */
class TextVectorBuildTest {
  private static final int DIM = 16;

  @TempDir Path tmp;

  private final BundleManifest bundle = TestCatalog.manifest(DIM);

  private JobConfig config(TestCatalog catalog) {
    return JobConfig.builder(catalog.file(), FieldMapping.magentoLuma(), tmp.resolve("index"))
        .pipeline(new PipelineConfig(3, 8, 4, 5))
        .build();
  }

  /** Live product documents with a text vector. */
  private static long textVectors(OpenIndex open) throws IOException {
    long n = 0;
    for (LeafReaderContext leaf : open.reader().leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.TEXT_VECTOR);
      if (v == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = v.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live == null || live.get(d)) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void everyProductGetsATextVectorAndAnUpdateReencodesOnlyChangedTexts() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 3).addProducts(40);
    catalog.write();
    JobConfig cfg = config(catalog);
    ConstantTextEncoder text = new ConstantTextEncoder(DIM);
    JobResult built =
        new IndexBuilder(
                cfg,
                bundle,
                new FakeImageLoader(catalog.dir()),
                new CountingEncoder(DIM),
                text,
                Reporting.none())
            .run();
    assertThat(built.textsEncoded()).isEqualTo(40);
    assertThat(text.texts())
        .contains("Product " + catalog.id(7) + ". Description of " + catalog.id(7));
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      assertThat(open.metadata().schemaVersion()).isEqualTo(IndexMetadata.SCHEMA_VERSION);
      assertThat(textVectors(open)).isEqualTo(40);
      assertThat(ProductKnn.hasTextVectors(open.reader())).isTrue();
    }

    catalog.changeImage(10); // image only: its text vector comes from the cache
    catalog.rename(20, "Running shoes");
    catalog.write();
    ConstantTextEncoder again = new ConstantTextEncoder(DIM);
    JobResult updated =
        new IndexUpdater(
                cfg,
                bundle,
                new FakeImageLoader(catalog.dir()),
                new CountingEncoder(DIM),
                again,
                Reporting.none())
            .run();
    assertThat(updated.productsIndexed()).isEqualTo(2);
    assertThat(again.texts()).containsExactly("Running shoes. Description of " + catalog.id(20));
    assertThat(updated.textCacheHits()).isEqualTo(1);
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      assertThat(textVectors(open)).as("still one per product").isEqualTo(40);
    }
  }

  @Test
  void aBuildWithoutTheTextTowerHasNoSemanticList() throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 4).addProducts(5);
    catalog.write();
    new IndexBuilder(
            config(catalog),
            bundle,
            new FakeImageLoader(catalog.dir()),
            new CountingEncoder(DIM),
            Reporting.none())
        .run();
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      assertThat(textVectors(open)).isZero();
      assertThat(ProductKnn.hasTextVectors(open.reader())).isFalse();
    }
  }
}
