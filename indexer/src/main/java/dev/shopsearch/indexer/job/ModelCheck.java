package dev.shopsearch.indexer.job;

import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.indexer.pipeline.ContentHash;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.ImageRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/**
 * Re-encodes a seeded sample of a generation's images with a model and compares the result with the
 * stored vectors. A generation whose vectors come from another model or preprocessing than the
 * bundle it claims (metadata that matches, weights that do not: e.g. a bundle's ONNX file replaced
 * without a new manifest) fails it, which no check on the stored vectors alone can see.
 *
 * <p>An image whose bytes changed since it was indexed (its SHA-256 differs from the stored {@link
 * IndexSchema#IMAGE_SHA256}) or that cannot be read any more is skipped, not failed. Not
 * thread-safe.
 */
public final class ModelCheck {
  /** Lowest cosine between a stored vector and its re-encoding that counts as the same model. */
  public static final double MIN_COSINE = 0.99;

  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final int samples;
  private final long seed;

  /**
   * @param loader reads and preprocesses the stored image references as the build did
   * @param encoder the bundle's image encoder
   * @param samples images re-encoded, in [1, 1024]
   * @param seed random seed of the sample
   */
  public ModelCheck(ImageLoader loader, ImageEncoder encoder, int samples, long seed) {
    if (samples < 1 || samples > 1024) {
      throw new IllegalArgumentException("samples must be in [1, 1024]; samples=" + samples);
    }
    this.loader = loader;
    this.encoder = encoder;
    this.samples = samples;
    this.seed = seed;
  }

  /**
   * What the check found.
   *
   * @param checked images re-encoded and compared
   * @param skipped sampled images not compared (changed since indexed, unreadable)
   * @param minCosine lowest cosine found (NaN when nothing was compared)
   * @param worst the image with the lowest cosine ({@code ref} of product {@code id}), or the first
   *     reason an image was skipped when nothing was compared
   */
  public record Result(int checked, int skipped, double minCosine, String worst) {
    /** Whether every compared image matched and at least one was compared. */
    public boolean passed() {
      return checked > 0 && minCosine >= MIN_COSINE;
    }
  }

  private record Sample(int doc, float[] vector) {}

  /** Samples, re-encodes and compares. */
  public Result run(DirectoryReader reader) throws IOException {
    var stored = reader.storedFields();
    List<String> refs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    List<float[]> pixels = new ArrayList<>();
    int skipped = 0;
    String firstSkip = null;
    for (Sample s : sample(reader)) {
      Document d = stored.document(s.doc());
      String ref = d.get(IndexSchema.IMAGE_REF);
      String sha = d.get(IndexSchema.IMAGE_SHA256);
      try {
        byte[] bytes = loader.fetch(ref);
        if (sha != null && !sha.equals(ContentHash.ofBytes(bytes))) {
          throw new ImageRejectedException("CHANGED", ref + " changed since it was indexed");
        }
        pixels.add(loader.prepare(ref, bytes));
      } catch (ImageRejectedException e) {
        skipped++;
        firstSkip = firstSkip == null ? e.getMessage() : firstSkip;
        continue;
      }
      refs.add(ref);
      ids.add(d.get(IndexSchema.PRODUCT_ID));
      vectors.add(s.vector());
    }
    if (pixels.isEmpty()) {
      return new Result(0, skipped, Double.NaN, firstSkip);
    }
    List<float[]> fresh = encoder.encode(pixels);
    double min = Double.POSITIVE_INFINITY;
    String worst = null;
    for (int i = 0; i < fresh.size(); i++) {
      double c = cosine(vectors.get(i), fresh.get(i));
      if (c < min) {
        min = c;
        worst = String.format(Locale.ROOT, "'%s' of product %s", refs.get(i), ids.get(i));
      }
    }
    return new Result(fresh.size(), skipped, min, worst);
  }

  /** Reservoir sample of live image documents with their stored vectors. */
  private List<Sample> sample(DirectoryReader reader) throws IOException {
    Random rnd = new Random(seed);
    List<Sample> out = new ArrayList<>();
    long seen = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        seen++;
        if (out.size() < samples) {
          out.add(new Sample(leaf.docBase + d, values.vectorValue(it.index()).clone()));
        } else {
          long j = (long) (rnd.nextDouble() * seen);
          if (j < samples) {
            out.set((int) j, new Sample(leaf.docBase + d, values.vectorValue(it.index()).clone()));
          }
        }
      }
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
