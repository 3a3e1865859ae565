package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.opensearch.GenerationReader;
import dev.shopsearch.opensearch.Generations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link IndexStats} of an OpenSearch alias: its generation indices and the published one. */
public final class OpenSearchStats {
  private OpenSearchStats() {}

  /**
   * One generation index.
   *
   * @param bytes its store size, all copies ({@code _stats/store} total)
   */
  public record GenerationInfo(String name, boolean current, long bytes) {}

  /**
   * What {@link #collect} reports; the fields that exist in embedded stats keep their names.
   *
   * @param alias the alias queries use
   * @param current the index the alias points to, or null
   * @param metadata its {@code _meta} (core's index metadata keys: model, format, counts)
   * @param products its top-level documents
   * @param images its nested image documents
   * @param bytes its primaries' store size ({@code _stats/store} primaries)
   * @param totalBytes its store size with the replicas ({@code _stats/store} total)
   * @param health its health: green, yellow or red
   */
  public record Stats(
      String alias,
      String current,
      List<GenerationInfo> generations,
      Map<String, String> metadata,
      long products,
      long images,
      long bytes,
      long totalBytes,
      String health) {}

  /** Reads the statistics of every generation of {@code generations}' alias. */
  public static Stats collect(Generations generations, GenerationReader reader, String alias) {
    Optional<String> current = generations.current();
    List<GenerationInfo> infos = new ArrayList<>();
    for (long n : generations.existing()) {
      String name = generations.indexName(n);
      infos.add(
          new GenerationInfo(
              name, current.map(name::equals).orElse(false), reader.store(name).totalBytes()));
    }
    if (current.isEmpty()) {
      return new Stats(alias, null, infos, Map.of(), 0, 0, 0, 0, null);
    }
    String index = current.get();
    IndexMetadata meta = generations.metadata(index);
    GenerationReader.Store store = reader.store(index);
    return new Stats(
        alias,
        index,
        infos,
        meta.toUserData(),
        reader.products(index),
        reader.images(index),
        store.primaryBytes(),
        store.totalBytes(),
        reader.health(index).status());
  }
}
