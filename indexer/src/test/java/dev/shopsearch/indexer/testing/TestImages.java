package dev.shopsearch.indexer.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Generates image bytes for tests (nothing is copied from shared data). */
public final class TestImages {
  private TestImages() {}

  /** A small JPEG of random colour blocks. */
  public static byte[] jpeg(Random rnd, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int block = 8;
    for (int y = 0; y < h; y += block) {
      for (int x = 0; x < w; x += block) {
        int rgb = rnd.nextInt(0xFFFFFF);
        for (int yy = y; yy < Math.min(h, y + block); yy++) {
          for (int xx = x; xx < Math.min(w, x + block); xx++) {
            img.setRGB(xx, yy, rgb);
          }
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "jpg", out)) {
      throw new IOException("no JPEG writer");
    }
    return out.toByteArray();
  }

  /** The PNG signature and an IHDR chunk declaring {@code w x h} RGB, and nothing else. */
  public static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
