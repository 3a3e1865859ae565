package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.Similarity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexGenerationsTest {
  @TempDir Path root;

  private final IndexMetadata meta =
      IndexMetadata.forBundle(
          IndexTestData.manifest("m", "1", "h", 8, Similarity.COSINE),
          VectorFormat.FLOAT,
          HnswParams.DEFAULT,
          "");

  private void writeIndex(Generation gen, int products) throws IOException {
    ProductDocuments docs = new ProductDocuments(8, Similarity.COSINE);
    Random rnd = new Random(gen.number());
    try (FSDirectory dir = FSDirectory.open(gen.dir());
        IndexWriter w =
            new IndexWriter(
                dir,
                new IndexWriterConfig()
                    .setCodec(IndexCodecs.codec(VectorFormat.FLOAT, HnswParams.DEFAULT)))) {
      for (int i = 0; i < products; i++) {
        w.addDocuments(
            docs.block(
                IndexTestData.product("p" + i, 1),
                List.of(
                    new ImageVector(
                        "a.jpg", 0, IndexTestData.unit(IndexTestData.gaussian(rnd, 8, 1)))),
                "hash" + i));
      }
      w.setLiveCommitData(
          meta.forCommit(gen.number(), products, products, "").toUserData().entrySet());
      w.commit();
    }
  }

  @Test
  void emptyRootHasNoCurrentAndOpeningFailsClearly() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    assertThat(gens.current()).isEmpty();
    assertThatThrownBy(gens::openCurrent)
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no published index generation");
  }

  @Test
  void publishSwitchesCurrentAndOpenReadsMetadata() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    try (var lock = gens.lock()) {
      Generation g1 = gens.newGeneration();
      assertThat(g1.name()).isEqualTo("gen-000001");
      writeIndex(g1, 3);
      gens.publish(g1);
      Generation g2 = gens.newGeneration();
      writeIndex(g2, 5);
      // not yet published: readers still see g1
      try (OpenIndex open = gens.openCurrent()) {
        assertThat(open.generation().number()).isEqualTo(1);
        assertThat(open.metadata().products()).isEqualTo(3);
        assertThat(open.reader().numDocs()).isEqualTo(6);
      }
      gens.publish(g2);
    }
    assertThat(Files.readString(root.resolve("CURRENT")).trim()).isEqualTo("gen-000002");
    assertThat(root.resolve("CURRENT.tmp")).doesNotExist();
    try (OpenIndex open = gens.openCurrent()) {
      assertThat(open.metadata().generation()).isEqualTo(2);
      assertThat(open.reader().numDocs()).isEqualTo(10);
    }
  }

  @Test
  void newGenerationSkipsLeftoversOfCrashedRuns() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    Files.createDirectories(root.resolve("gen-000007"));
    assertThat(gens.newGeneration().number()).isEqualTo(8);
  }

  @Test
  void pruneKeepsCurrentAndNewestOlderAndDropsUnpublished() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    for (int i = 0; i < 4; i++) {
      Generation g = gens.newGeneration();
      writeIndex(g, 1);
      if (i != 2) {
        gens.publish(g); // gen 3 is committed but never published (crash before the switch)
      }
    }
    Generation crashed = gens.newGeneration(); // gen 5, never published
    List<Generation> deleted = gens.prune(2);
    assertThat(deleted).extracting(Generation::number).containsExactlyInAnyOrder(1L, 3L, 5L);
    assertThat(gens.list()).extracting(Generation::number).containsExactly(2L, 4L);
    assertThat(crashed.dir()).doesNotExist();
    assertThatThrownBy(() -> gens.prune(0)).hasMessageContaining("keep must be >= 1; keep=0");
  }

  @Test
  void copyOnWriteGenerationIsIndependentOfItsBase() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    Generation g1 = gens.newGeneration();
    writeIndex(g1, 2);
    gens.publish(g1);
    Generation g2 = gens.newGenerationFrom(g1);
    try (FSDirectory dir = FSDirectory.open(g2.dir());
        IndexWriter w =
            new IndexWriter(
                dir, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      w.deleteDocuments(ProductDocuments.idTerm("p0"));
      w.setLiveCommitData(meta.forCommit(2, 1, 1, "").toUserData().entrySet());
      w.commit();
      w.forceMerge(1);
      w.commit();
    }
    try (OpenIndex old = IndexGenerations.open(g1);
        OpenIndex updated = IndexGenerations.open(g2)) {
      assertThat(old.reader().numDocs()).isEqualTo(4);
      assertThat(updated.reader().numDocs()).isEqualTo(2);
    }
  }

  @Test
  void secondWriterLockFailsFast() throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    try (var lock = gens.lock()) {
      assertThatThrownBy(gens::lock).hasMessageContaining("another indexer holds");
    }
    gens.lock().close();
  }

  @Test
  void garbageInCurrentIsReportedWithThePath() throws IOException {
    Files.writeString(root.resolve("CURRENT"), "../../etc\n");
    assertThatThrownBy(() -> new IndexGenerations(root).current())
        .hasMessageContaining("CURRENT holds '../../etc'; expected a generation name");
  }
}
