package dev.shopsearch.indexer.testing;

import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.indexer.job.IndexBuilder;
import dev.shopsearch.indexer.job.IndexUpdater;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.Reporting;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A deliberately slow build or update in its own JVM, for the kill -9 test. Prints {@code encoded
 * N} after every encoder call. Args: {@code build|update catalogFile indexRoot delayMillis}.
 */
public final class SlowBuildMain {
  private SlowBuildMain() {}

  public static void main(String[] args) throws Exception {
    Path catalog = Path.of(args[1]);
    Path root = Path.of(args[2]);
    long delay = Long.parseLong(args[3]);
    CountingEncoder encoder = new CountingEncoder(16);
    encoder.delayMillis(delay);
    encoder.intercept(
        (pixels, encode) -> {
          List<float[]> out = encode.get();
          System.out.println("encoded " + encoder.images());
          System.out.flush();
          return out;
        });
    JobConfig config =
        JobConfig.builder(catalog, FieldMapping.magentoLuma(), root)
            .pipeline(new PipelineConfig(2, 2, 2, 1))
            .cacheDir(null)
            .build();
    FakeImageLoader loader = new FakeImageLoader(catalog.getParent());
    var bundle = TestCatalog.manifest(16);
    if (args[0].equals("update")) {
      new IndexUpdater(config, bundle, loader, encoder, Reporting.none()).run();
    } else {
      new IndexBuilder(config, bundle, loader, encoder, Reporting.none()).run();
    }
    System.out.println("done");
  }
}
