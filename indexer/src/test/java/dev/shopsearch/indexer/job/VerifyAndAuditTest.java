package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.indexer.testing.ConstantTextEncoder;
import dev.shopsearch.indexer.testing.TestCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndAuditTest {
  @TempDir Path tmp;

  /** Product i's first image is [1,0,0,0] rotated by i steps towards [0,1,0,0]. */
  private static float[] vec(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0, 0};
  }

  private IndexGenerations index(int products, boolean breakIt) throws Exception {
    IndexGenerations gens = new IndexGenerations(tmp.resolve("index"));
    Generation gen = gens.newGeneration();
    ProductDocuments docs = new ProductDocuments(4, Similarity.COSINE);
    try (FSDirectory d = FSDirectory.open(gen.dir());
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig()
                    .setCodec(IndexCodecs.codec(VectorFormat.FLOAT, HnswParams.DEFAULT)))) {
      for (int i = 0; i < products; i++) {
        Product p =
            new Product(
                "p" + i,
                "item " + i,
                "",
                List.of(),
                null,
                null,
                null,
                List.of("a", "b"),
                Map.of(),
                i + 1);
        w.addDocuments(
            docs.block(
                p,
                List.of(new ImageVector("a", 0, vec(i * 0.1)), new ImageVector("b", 1, vec(1.5))),
                "h"));
      }
      long images = 2L * products;
      if (breakIt) {
        List<Document> block =
            docs.block(
                new Product(
                    "lone", "x", "", List.of(), null, null, null, List.of("a"), Map.of(), 1),
                List.of(new ImageVector("a", 0, vec(0))),
                "h");
        w.addDocument(block.get(1)); // a parent without its image child
        images += 5; // and metadata that disagrees
      }
      IndexMetadata meta =
          IndexMetadata.forBundle(
                  TestCatalog.manifest(4), VectorFormat.FLOAT, HnswParams.DEFAULT, "")
              .forCommit(gen.number(), products + (breakIt ? 1 : 0), images, "");
      w.setLiveCommitData(meta.toUserData().entrySet());
      w.commit();
    }
    gens.publish(gen);
    return gens;
  }

  @Test
  void verifyPassesOnAGoodIndexAndNamesEveryProblemOnABrokenOne() throws Exception {
    IndexVerifier.Result ok = new IndexVerifier(20, 5, 100, 0.9, 3, true).verify(index(30, false));
    assertThat(ok.passed()).as(ok.problems().toString()).isTrue();
    assertThat(ok.recall()).isGreaterThanOrEqualTo(0.9);
    assertThat(ok.products()).isEqualTo(30);

    Files.walk(tmp.resolve("index"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    IndexVerifier.Result bad = new IndexVerifier(5, 5, 100, 0.9, 3, false).verify(index(30, true));
    assertThat(bad.passed()).isFalse();
    assertThat(bad.problems())
        .anySatisfy(p -> assertThat(p).contains("metadata says 31 / 65"))
        .anySatisfy(p -> assertThat(p).contains("has no image child"));
  }

  @Test
  void auditScoresEveryImageSortsAndFlags() throws Exception {
    IndexGenerations gens = index(20, false);
    Path out = tmp.resolve("audit.jsonl");
    try (OpenIndex open = gens.openCurrent()) {
      // every text encodes to [1,0,0,0]: image a of product i scores cos(i * 0.1)
      ConstantTextEncoder text = new ConstantTextEncoder(4);
      ConsistencyAuditor.Result r =
          new ConsistencyAuditor(AuditThreshold.parse("0.9"), 7)
              .audit(open.generation().name(), new IndexAuditedProducts(open), text, out);
      assertThat(text.texts()).hasSize(20).allSatisfy(t -> assertThat(t).startsWith("item "));
      assertThat(r.products()).isEqualTo(20);
      assertThat(r.images()).isEqualTo(40);
      // image "b" (angle 1.5, cos 0.07) is always flagged; image "a" when cos(i/10) < 0.9: i >= 5
      assertThat(r.flaggedImages()).isEqualTo(20 + 15);
      assertThat(r.flaggedProducts()).isEqualTo(15);
      assertThat(r.distribution().get("max"))
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.histogram()).hasSize(20);

      ConsistencyAuditor.Result pct =
          new ConsistencyAuditor(AuditThreshold.parse("p50"), 64)
              .audit(
                  open.generation().name(),
                  new IndexAuditedProducts(open),
                  new ConstantTextEncoder(4),
                  null);
      assertThat(pct.cutoff()).isCloseTo(Math.cos(1.5), org.assertj.core.data.Offset.offset(1e-5));
    }
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(40);
    var json = new ObjectMapper();
    double prev = -2;
    for (String l : lines) {
      double s = json.readTree(l).get("score").asDouble();
      assertThat(s).isGreaterThanOrEqualTo(prev);
      prev = s;
    }
    assertThat(json.readTree(lines.get(39)).get("id").asText()).isEqualTo("p0");
    assertThat(json.readTree(lines.get(39)).get("flagged").asBoolean()).isFalse();
  }

  @Test
  void thresholdParsing() {
    assertThat(AuditThreshold.parse("p5")).isEqualTo(new AuditThreshold(5, true));
    assertThat(AuditThreshold.parse("12.5%")).isEqualTo(new AuditThreshold(12.5, true));
    assertThat(AuditThreshold.parse(" 0.35 ")).isEqualTo(new AuditThreshold(0.35, false));
    assertThatThrownBy(() -> AuditThreshold.parse("high"))
        .hasMessageContaining("'high' is neither a cosine like 0.35 nor a percentile like p5");
    assertThatThrownBy(() -> AuditThreshold.parse("p100"))
        .hasMessageContaining("percentile threshold must be in (0, 100)");
    assertThatThrownBy(() -> AuditThreshold.parse("1.5"))
        .hasMessageContaining("cosine threshold must be in [-1, 1]");
  }
}
