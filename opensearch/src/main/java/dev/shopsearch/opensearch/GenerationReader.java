package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Read-only facts about one generation index, for {@code indexer verify}, {@code stats} and {@code
 * audit}: its health, its document counts (products are the top-level documents, images the nested
 * ones), its store sizes, and its products' image vectors (with their names, descriptions and image
 * references for {@code indexer audit}) paged from {@code _source} with {@code search_after}
 * (bounded memory: one page at a time).
 */
public final class GenerationReader {
  /** Products per {@code search_after} page of {@link #forEachProduct}. */
  public static final int PAGE = 500;

  private final EngineClient client;

  public GenerationReader(EngineClient client) {
    this.client = client;
  }

  /**
   * The health of one index.
   *
   * @param status green, yellow or red
   * @param unassignedShards shard copies not assigned to a node
   */
  public record Health(String status, int unassignedShards) {}

  /** Store sizes of one index, bytes. */
  public record Store(long primaryBytes, long totalBytes) {}

  /** {@code GET _cluster/health/<index>}: its own status, not the whole cluster's. */
  public Health health(String index) {
    JsonNode h = client.call("GET", "/_cluster/health/" + index, null);
    return new Health(h.path("status").asText("unknown"), h.path("unassigned_shards").asInt());
  }

  /** Top-level documents: one per product ({@code _count} does not count nested documents). */
  public long products(String index) {
    return client.call("GET", "/" + index + "/_count", null).path("count").asLong();
  }

  /** Nested image documents, counted by a {@code nested} aggregation. */
  public long images(String index) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 0);
    body.put("track_total_hits", false);
    body.putObject("aggs").putObject("images").putObject("nested").put("path", IndexMapping.IMAGES);
    return client
        .call("POST", "/" + index + "/_search", body)
        .path("aggregations")
        .path("images")
        .path("doc_count")
        .asLong();
  }

  /** Products that carry no image (the embedded index's "parent without an image child"). */
  public long productsWithoutImages(String index) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.putObject("query")
        .putObject("bool")
        .putArray("must_not")
        .addObject()
        .putObject("nested")
        .put("path", IndexMapping.IMAGES)
        .putObject("query")
        .putObject("match_all");
    return client.call("POST", "/" + index + "/_count", body).path("count").asLong();
  }

  /** {@code _stats/store}: primaries and all copies. */
  public Store store(String index) {
    JsonNode all = client.call("GET", "/" + index + "/_stats/store", null).path("_all");
    return new Store(
        all.path("primaries").path("store").path("size_in_bytes").asLong(),
        all.path("total").path("store").path("size_in_bytes").asLong());
  }

  /**
   * One product as read back from {@code _source}.
   *
   * @param name its name, or null when not read or absent
   * @param description its description, or null when not read or absent
   * @param images its images that carry a vector, in document order
   */
  public record StoredProduct(
      String id, String name, String description, List<StoredImage> images) {}

  /**
   * One image of a {@link StoredProduct}.
   *
   * @param ref its reference as indexed ({@value IndexMapping#IMAGE_REF}), or null when not read
   */
  public record StoredImage(String ref, float[] vector) {}

  /**
   * Calls {@code consumer} with every product id and its image vectors (from {@code _source}), in
   * product id order, {@link #PAGE} products per request ({@code search_after} on the product id).
   * A product without a vector gets an empty list.
   */
  public void forEachProduct(String index, BiConsumer<String, List<float[]>> consumer) {
    read(
        index,
        List.of(IndexMapping.VECTOR_FIELD),
        p -> consumer.accept(p.id(), p.images().stream().map(StoredImage::vector).toList()));
  }

  /**
   * Like {@link #forEachProduct(String, BiConsumer)}, with each product's name and description and
   * each image's reference (what {@code indexer audit} scores). An image without a vector is left
   * out; a product without one gets an empty list.
   */
  public void forEachProductWithText(String index, Consumer<StoredProduct> consumer) {
    read(
        index,
        List.of(
            IndexSchema.NAME,
            IndexSchema.DESCRIPTION,
            IndexMapping.IMAGES + "." + IndexMapping.IMAGE_REF,
            IndexMapping.VECTOR_FIELD),
        consumer);
  }

  /** Pages every product with {@code _source} limited to {@code fields} ({@link SourcePages}). */
  private void read(String index, List<String> fields, Consumer<StoredProduct> consumer) {
    SourcePages.forEach(
        body -> client.call("POST", "/" + index + "/_search", body),
        PAGE,
        fields,
        hit -> {
          JsonNode source = hit.path("_source");
          List<StoredImage> images = new ArrayList<>();
          for (JsonNode image : source.path(IndexMapping.IMAGES)) {
            JsonNode v = image.path(IndexSchema.VECTOR);
            if (v.isArray() && !v.isEmpty()) {
              float[] f = new float[v.size()];
              for (int i = 0; i < f.length; i++) {
                f[i] = (float) v.get(i).asDouble();
              }
              images.add(new StoredImage(text(image, IndexMapping.IMAGE_REF), f));
            }
          }
          consumer.accept(
              new StoredProduct(
                  hit.path("_id").asText(),
                  text(source, IndexSchema.NAME),
                  text(source, IndexSchema.DESCRIPTION),
                  images));
        });
  }

  /** A text field of {@code node}, or null when it is absent or JSON null. */
  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
