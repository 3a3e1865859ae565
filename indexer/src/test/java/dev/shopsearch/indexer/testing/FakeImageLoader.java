package dev.shopsearch.indexer.testing;

import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.ImageRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A deterministic stand-in for fetch + decode: reads files under a root; bytes starting with {@code
 * not-an-image} are refused; pixels are a seeded function of the bytes.
 */
public final class FakeImageLoader implements ImageLoader {
  public static final int PIXELS = 48;
  private final Path root;

  public FakeImageLoader(Path root) {
    this.root = root;
  }

  @Override
  public byte[] fetch(String ref) throws ImageRejectedException {
    try {
      return Files.readAllBytes(root.resolve(ref));
    } catch (NoSuchFileException e) {
      throw new ImageRejectedException("NOT_FOUND", "image " + ref + " does not exist");
    } catch (IOException e) {
      throw new ImageRejectedException("IO", "cannot read " + ref + ": " + e);
    }
  }

  @Override
  public float[] prepare(String ref, byte[] bytes) throws ImageRejectedException {
    if (new String(bytes, 0, Math.min(12, bytes.length), StandardCharsets.ISO_8859_1)
        .startsWith("not-an-image")) {
      throw new ImageRejectedException("NOT_AN_IMAGE", ref + " is not an image");
    }
    Random rnd = new Random(java.util.Arrays.hashCode(bytes));
    float[] px = new float[PIXELS];
    for (int i = 0; i < PIXELS; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    return px;
  }
}
