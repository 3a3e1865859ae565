package dev.shopsearch.trainer.data;

import dev.shopsearch.core.image.ImageDecoder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes training photos once and keeps a down-scaled RGB copy (shortest side {@code cacheSide})
 * in memory, so that each epoch only crops and flips. A photo that cannot be decoded is remembered
 * as failed and skipped (one item, never the run). Thread-safe.
 */
public final class ImageStore {

  /** Loads an image by reference. */
  @FunctionalInterface
  public interface Loader {
    BufferedImage load(String ref) throws IOException;
  }

  /** The default loader: a local file through core's {@link ImageDecoder} (limits, EXIF). */
  public static final Loader FILES = ref -> new ImageDecoder().decode(Path.of(ref));

  private static final BufferedImage FAILED = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);

  private final Loader loader;
  private final int cacheSide;
  private final Map<String, BufferedImage> cache = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();

  public ImageStore(Loader loader, int cacheSide) {
    if (cacheSide < 8 || cacheSide > 4096) {
      throw new IllegalArgumentException("cacheSide must be in [8, 4096]; was " + cacheSide);
    }
    this.loader = loader;
    this.cacheSide = cacheSide;
  }

  /** The cached RGB image, or {@code null} if it cannot be loaded. */
  public BufferedImage get(String ref) {
    BufferedImage img = cache.computeIfAbsent(ref, this::load);
    return img == FAILED ? null : img;
  }

  /** Number of photos that failed to load. */
  public int failures() {
    return failures.get();
  }

  private BufferedImage load(String ref) {
    try {
      return shrink(loader.load(ref), cacheSide);
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      System.err.println("skipping image " + ref + ": " + e.getMessage());
      return FAILED;
    }
  }

  /** RGB copy on white whose shortest side is at most {@code side}. */
  static BufferedImage shrink(BufferedImage src, int side) {
    int w = src.getWidth();
    int h = src.getHeight();
    double s = Math.min(1.0, side / (double) Math.min(w, h));
    int nw = Math.max(1, (int) Math.round(w * s));
    int nh = Math.max(1, (int) Math.round(h * s));
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, nw, nh);
      g.drawImage(src, 0, 0, nw, nh, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
