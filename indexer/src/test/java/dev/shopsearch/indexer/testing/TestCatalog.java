package dev.shopsearch.indexer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.bundle.TowerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes a Magento-shaped JSONL catalog ({@code FieldMapping.magentoLuma()}) with random image
 * files, and lets tests change, add and remove products.
 */
public final class TestCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final Random rnd;
  private final List<ObjectNode> rows = new ArrayList<>();
  private int nextId;

  public TestCatalog(Path dir, long seed) {
    this.dir = dir;
    this.rnd = new Random(seed);
  }

  public Path dir() {
    return dir;
  }

  public Path file() {
    return dir.resolve("catalog.jsonl");
  }

  public static BundleManifest manifest(int dim) {
    return new BundleManifest(
        "fake-clip",
        "1",
        "feedface",
        dim,
        Similarity.COSINE,
        new TowerSpec("text.onnx", List.of("input_ids"), "text_embeds", Pooling.NONE, null),
        new TowerSpec("image.onnx", List.of("pixel_values"), "image_embeds", Pooling.NONE, null),
        new TextSpec("tokenizer.json", 77, true),
        ImageSpec.clip(224),
        Map.of());
  }

  /** Adds {@code n} products with 1 to 3 random images each. */
  public TestCatalog addProducts(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "p%05d", nextId++);
      List<String> images = new ArrayList<>();
      int count = 1 + rnd.nextInt(3);
      for (int k = 0; k < count; k++) {
        String ref = "images/" + id + "-" + k + ".jpg";
        writeImage(ref);
        images.add(ref);
      }
      rows.add(row(id, images));
    }
    return this;
  }

  /** A row whose image is given raw bytes (e.g. not an image). */
  public TestCatalog addProductWithImageBytes(String id, byte[] bytes) throws IOException {
    String ref = "images/" + id + ".jpg";
    Files.createDirectories(dir.resolve("images"));
    Files.write(dir.resolve(ref), bytes);
    rows.add(row(id, List.of(ref)));
    return this;
  }

  /** A row with an image reference that is not written. */
  public TestCatalog addProductWithMissingImage(String id) {
    rows.add(row(id, List.of("images/missing-" + id + ".jpg")));
    return this;
  }

  /** Rewrites the bytes of the first image of product {@code index}. */
  public void changeImage(int index) throws IOException {
    String ref = rows.get(index).get("images").get(0).asText();
    writeImage(ref);
  }

  /** Changes the name of product {@code index} (no image change). */
  public void rename(int index, String name) {
    rows.get(index).put("name", name);
  }

  /** Sets a text field of product {@code index} (any key, e.g. {@code color} or {@code id}). */
  public void put(int index, String field, String value) {
    rows.get(index).put(field, value);
  }

  public void remove(int index) {
    rows.remove(index);
  }

  public String id(int index) {
    return rows.get(index).get("id").asText();
  }

  public int size() {
    return rows.size();
  }

  public int imageCount(int index) {
    return rows.get(index).get("images").size();
  }

  public Path write() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (ObjectNode r : rows) {
      sb.append(JSON.writeValueAsString(r)).append('\n');
    }
    Files.writeString(file(), sb.toString(), StandardCharsets.UTF_8);
    return file();
  }

  private ObjectNode row(String id, List<String> images) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", id);
    r.put("sku", id.toUpperCase(Locale.ROOT));
    r.put("name", "Product " + id);
    r.put("color", rnd.nextBoolean() ? "Black" : "Blue");
    r.put("description", "Description of " + id);
    r.putArray("categories").add(rnd.nextBoolean() ? "Men / Tops" : "Women / Bottoms");
    r.put("price", 10 + rnd.nextInt(90));
    var arr = r.putArray("images");
    images.forEach(arr::add);
    return r;
  }

  private void writeImage(String ref) throws IOException {
    byte[] b = new byte[256];
    rnd.nextBytes(b);
    Path p = dir.resolve(ref);
    Files.createDirectories(p.getParent());
    Files.write(p, b);
  }
}
