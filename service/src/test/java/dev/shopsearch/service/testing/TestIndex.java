package dev.shopsearch.service.testing;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.VectorFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FSDirectory;

/**
 * Builds and publishes a real index generation with the core index code ({@link ProductDocuments},
 * {@link IndexCodecs}, {@link IndexGenerations}, {@link IndexMetadata}). Image vectors come from an
 * {@link ImageVectors} function ({@link #FAKE} by default).
 */
public final class TestIndex {
  private TestIndex() {}

  /** A small catalog: colours × garment types, 1–3 images each, prices and attributes. */
  public static List<Product> catalog(String idPrefix) {
    String[] colours = {"red", "blue", "green", "black"};
    String[] types = {"dress", "shirt", "jacket", "sneakers", "handbag"};
    String[] categories = {
      "Women / Dresses", "Men / Tops", "Men / Jackets", "Women / Shoes", "Women / Bags"
    };
    List<Product> out = new ArrayList<>();
    int n = 0;
    for (int t = 0; t < types.length; t++) {
      for (int c = 0; c < colours.length; c++) {
        String id = idPrefix + n;
        int images = 1 + (n % 3);
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < images; i++) {
          refs.add("images/" + id + "-" + i + ".jpg");
        }
        out.add(
            new Product(
                id,
                colours[c] + " " + types[t],
                "A " + colours[c] + " " + types[t] + " made of cotton, item " + n,
                List.of(categories[t]),
                colours[c],
                10.0 + 5 * n,
                n % 4 != 3,
                refs,
                Map.of("gender", List.of(categories[t].startsWith("Women") ? "women" : "men")),
                n + 1));
        n++;
      }
    }
    return out;
  }

  /** Computes the vector of image {@code i} of a product. */
  @FunctionalInterface
  public interface ImageVectors {
    float[] vector(Product product, int image);
  }

  /** The {@link FakeClip} vectors: the product name's embedding, jittered per image. */
  public static final ImageVectors FAKE =
      (p, i) -> FakeClip.jitter(FakeClip.embed(p.name()), p.id().hashCode() * 17L + i, 0.3);

  /** Builds and publishes a generation with {@link #FAKE} vectors. */
  public static Generation publish(Path root, BundleManifest bundle, List<Product> products)
      throws IOException {
    return publish(root, bundle, products, FAKE);
  }

  /** Builds and publishes a generation of {@code products} for {@code bundle}. */
  public static Generation publish(
      Path root, BundleManifest bundle, List<Product> products, ImageVectors vectors)
      throws IOException {
    return publish(root, bundle, products, vectors, null);
  }

  /**
   * Builds and publishes a generation of {@code products} for {@code bundle} whose metadata carries
   * {@code fusion} (calibrated settings; null for none).
   */
  public static Generation publish(
      Path root,
      BundleManifest bundle,
      List<Product> products,
      ImageVectors vectors,
      FusionSettings fusion)
      throws IOException {
    return publish(root, bundle, products, vectors, fusion, p -> null);
  }

  /** Computes the text vector of a product (null for none). */
  @FunctionalInterface
  public interface TextVectors {
    float[] vector(Product product);
  }

  /**
   * Builds and publishes a generation of {@code products} for {@code bundle} whose metadata carries
   * {@code fusion} and whose products carry the text vectors {@code text} gives (schema version 4).
   */
  public static Generation publish(
      Path root,
      BundleManifest bundle,
      List<Product> products,
      ImageVectors vectors,
      FusionSettings fusion,
      TextVectors text)
      throws IOException {
    IndexGenerations gens = new IndexGenerations(root);
    try (IndexGenerations.WriterLock lock = gens.lock()) {
      Generation gen = gens.newGeneration();
      ProductDocuments docs = new ProductDocuments(bundle.dim(), bundle.similarity());
      IndexWriterConfig cfg = new IndexWriterConfig(LexicalAnalysis.indexing());
      cfg.setCodec(IndexCodecs.codec(VectorFormat.FLOAT, HnswParams.DEFAULT));
      long images = 0;
      try (FSDirectory dir = FSDirectory.open(gen.dir());
          IndexWriter w = new IndexWriter(dir, cfg)) {
        for (Product p : products) {
          List<ImageVector> block = new ArrayList<>();
          for (int i = 0; i < p.images().size(); i++) {
            block.add(new ImageVector(p.images().get(i), i, vectors.vector(p, i)));
          }
          images += block.size();
          w.addDocuments(docs.block(p, block, "h-" + p.id(), text.vector(p)));
        }
        IndexMetadata meta =
            IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "")
                .forCommit(gen.number(), products.size(), images, "test")
                .withFusion(fusion);
        w.setLiveCommitData(meta.toUserData().entrySet());
        w.commit();
      }
      gens.publish(gen);
      return gen;
    }
  }

  /**
   * An in-memory index of {@code products} (one image each, {@link #FAKE} vectors) with the
   * indexer's analysis; closing the reader is enough.
   */
  public static DirectoryReader inMemory(List<Product> products) throws IOException {
    ProductDocuments docs = new ProductDocuments(FakeClip.DIM, Similarity.COSINE);
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(LexicalAnalysis.indexing()))) {
      for (Product p : products) {
        w.addDocuments(
            docs.block(p, List.of(new ImageVector("img-" + p.id(), 0, FAKE.vector(p, 0))), "h"));
      }
      w.commit();
    }
    return DirectoryReader.open(dir);
  }

  /** Metadata of an index of {@code schemaVersion} for the fake model (nothing else matters). */
  public static IndexMetadata metadata(int schemaVersion) {
    return new IndexMetadata(
        schemaVersion,
        "fake-clip",
        "1",
        "",
        FakeClip.DIM,
        Similarity.COSINE,
        VectorFormat.FLOAT,
        HnswParams.DEFAULT,
        "",
        java.time.Instant.EPOCH,
        1,
        0,
        0);
  }

  /**
   * Publishes {@link #catalog(String)} for a fake model of {@code hash} into a new temporary root
   * and points {@code shopsearch.index.root} at it (for {@code @DynamicPropertySource}).
   */
  public static void serveTemporary(
      org.springframework.test.context.DynamicPropertyRegistry registry,
      String hash,
      String idPrefix)
      throws IOException {
    Path root = java.nio.file.Files.createTempDirectory("shopsearch-" + idPrefix);
    publish(root, FakeClip.manifest(hash), catalog(idPrefix));
    registry.add("shopsearch.index.root", root::toString);
  }
}
