package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.testing.CountingEncoder;
import dev.shopsearch.indexer.testing.FakeImageLoader;
import dev.shopsearch.indexer.testing.SlowBuildMain;
import dev.shopsearch.indexer.testing.TestCatalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A build or update in a child JVM is killed with SIGKILL mid-run: the previous generation stays
 * current, opens and answers queries, and the next run succeeds.
 */
@org.junit.jupiter.api.Tag("slow")
class KillDuringBuildTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} killed after {1} encoded images")
  @CsvSource({"build, 40", "update, 40", "build, 1"})
  void killMinusNineLeavesThePreviousGenerationServable(String command, int killAfter)
      throws Exception {
    TestCatalog catalog = new TestCatalog(tmp.resolve("cat"), 9).addProducts(50);
    catalog.write();
    Path root = tmp.resolve("index");
    JobConfig config =
        JobConfig.builder(catalog.file(), FieldMapping.magentoLuma(), root)
            .pipeline(new PipelineConfig(2, 8, 4, 5))
            .cacheDir(null)
            .build();
    new IndexBuilder(
            config,
            TestCatalog.manifest(16),
            new FakeImageLoader(catalog.dir()),
            new CountingEncoder(16),
            Reporting.none())
        .run();
    for (int i = 0; i < 50; i++) {
      catalog.changeImage(i);
    }
    catalog.addProducts(400);
    catalog.write();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "--add-modules",
            "jdk.incubator.vector",
            "-Dai.djl.offline=true",
            SlowBuildMain.class.getName(),
            command,
            catalog.file().toString(),
            root.toString(),
            "200"); // ms per encoder call: the kill lands long before the build could finish
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.redirectErrorStream(true);
    Process child = pb.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.startsWith("encoded ")
            && Long.parseLong(line.substring("encoded ".length())) >= killAfter) {
          break;
        }
      }
      assertThat(Files.isDirectory(root.resolve("gen-000002")))
          .as("child is writing a new generation; output %s", output)
          .isTrue();
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(output).noneMatch(l -> l.equals("done"));
    assertThat(child.exitValue()).isEqualTo(137);

    IndexGenerations gens = new IndexGenerations(root);
    assertThat(gens.current().orElseThrow().number()).isEqualTo(1);
    try (OpenIndex open = gens.openCurrent()) {
      assertThat(open.metadata().products()).isEqualTo(50);
      assertThat(open.reader().numDocs())
          .isEqualTo(
              JobSupport.countType(open.reader(), IndexSchema.TYPE_PRODUCT)
                  + open.metadata().images());
      float[] probe = JobSupport.firstVector(open.reader());
      TopDocs top =
          new IndexSearcher(open.reader())
              .search(new KnnFloatVectorQuery(IndexSchema.VECTOR, probe, 5), 5);
      assertThat(top.scoreDocs).hasSize(5);
      assertThat(top.scoreDocs[0].score).isGreaterThan(0.99f);
    }

    // The next run takes the lock the dead process held and publishes past the leftover.
    CountingEncoder enc = new CountingEncoder(16);
    JobResult next =
        new IndexBuilder(
                config,
                TestCatalog.manifest(16),
                new FakeImageLoader(catalog.dir()),
                enc,
                Reporting.none())
            .run();
    assertThat(next.published()).isTrue();
    assertThat(next.generation()).isEqualTo(3);
    assertThat(next.totalProducts()).isEqualTo(450);
    assertThat(gens.list()).extracting(g -> g.number()).containsExactly(1L, 3L);
  }
}
