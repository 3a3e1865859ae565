package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Statistics of an index root and its live generation. */
public final class IndexStats {
  private IndexStats() {}

  /** One generation directory. */
  public record GenerationInfo(String name, boolean current, long bytes) {}

  /** What {@link #collect} reports. */
  public record Stats(
      String root,
      String current,
      List<GenerationInfo> generations,
      Map<String, String> metadata,
      long products,
      long images,
      long maxDoc,
      long deletedDocs,
      int segments,
      long bytes) {}

  /** Collects statistics; the live generation is opened read-only. */
  public static Stats collect(IndexGenerations gens) throws IOException {
    Generation current = gens.current().orElse(null);
    List<GenerationInfo> infos = new ArrayList<>();
    for (Generation g : gens.list()) {
      infos.add(new GenerationInfo(g.name(), g.equals(current), size(g.dir())));
    }
    if (current == null) {
      return new Stats(gens.root().toString(), null, infos, Map.of(), 0, 0, 0, 0, 0, 0);
    }
    try (OpenIndex open = IndexGenerations.open(current)) {
      IndexMetadata meta = open.metadata();
      return new Stats(
          gens.root().toString(),
          current.name(),
          infos,
          meta.toUserData(),
          JobSupport.countType(open.reader(), IndexSchema.TYPE_PRODUCT),
          JobSupport.countType(open.reader(), IndexSchema.TYPE_IMAGE),
          open.reader().maxDoc(),
          open.reader().numDeletedDocs(),
          open.reader().leaves().size(),
          size(current.dir()));
    }
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
