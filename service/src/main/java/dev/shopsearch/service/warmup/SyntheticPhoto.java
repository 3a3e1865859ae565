package dev.shopsearch.service.warmup;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A catalog-like product photo for the warm-up: a progressive JPEG (as most shop photos are) of a
 * soft background with a few coloured shapes and fine texture, so that decoding does the work a
 * real upload does.
 */
final class SyntheticPhoto {
  private SyntheticPhoto() {}

  /**
   * The largest photo of at most {@code width × height} (halved until it fits) whose JPEG is at
   * most {@code maxBytes}.
   *
   * @throws IllegalArgumentException if even a 1/8-size photo exceeds {@code maxBytes}
   */
  static byte[] jpeg(int width, int height, long maxBytes, long seed) {
    for (int scale = 1; scale <= 8; scale *= 2) {
      byte[] bytes = jpeg(width / scale, height / scale, seed);
      if (bytes.length <= maxBytes) {
        return bytes;
      }
    }
    throw new IllegalArgumentException(
        "no warm-up photo fits the upload limit of " + maxBytes + " bytes");
  }

  static byte[] jpeg(int width, int height, long seed) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new GradientPaint(0, 0, new Color(236, 232, 226), 0, height, Color.WHITE));
      g.fillRect(0, 0, width, height);
      Random r = new Random(seed);
      for (int i = 0; i < 6; i++) {
        g.setColor(new Color(r.nextInt(200), r.nextInt(200), r.nextInt(200)));
        int w = width / 4 + r.nextInt(width / 3);
        int h = height / 4 + r.nextInt(height / 3);
        g.fillRoundRect(r.nextInt(width - w), r.nextInt(height - h), w, h, w / 5, h / 5);
      }
      // Fine texture (fabric), so that the JPEG has real detail to decode.
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setColor(new Color(0, 0, 0, 24));
      for (int y = 0; y < height; y += 3) {
        g.drawLine(0, y, width, y + (y % 7));
      }
    } finally {
      g.dispose();
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(img, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
