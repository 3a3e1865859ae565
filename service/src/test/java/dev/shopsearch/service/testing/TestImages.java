package dev.shopsearch.service.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Generates small encoded images for tests (nothing is read from disk). */
public final class TestImages {
  private TestImages() {}

  /** A PNG of one colour with a little seeded noise. */
  public static byte[] png(Color colour, int size, long seed) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, size, size);
    g.dispose();
    Random r = new Random(seed);
    for (int i = 0; i < size; i++) {
      int x = r.nextInt(size);
      int y = r.nextInt(size);
      img.setRGB(x, y, r.nextInt(0xFFFFFF));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
