package dev.shopsearch.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * EXIF orientation (tag 0x0112, values 1..8): reading it from a TIFF block and applying it to a
 * {@code TYPE_INT_RGB} image, as PIL's {@code ImageOps.exif_transpose} does.
 */
final class ExifOrientation {
  private static final int TAG_ORIENTATION = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {}

  /**
   * Reads the orientation from IFD0 of the TIFF block at {@code b[offset, offset + length)}.
   * Returns 1 (no change) when the block is malformed or has no valid orientation; a damaged EXIF
   * block never fails a decode.
   */
  static int read(byte[] b, int offset, int length) {
    if (offset < 0 || length < 8 || offset + length > b.length) {
      return 1;
    }
    boolean little;
    if (b[offset] == 'I' && b[offset + 1] == 'I') {
      little = true;
    } else if (b[offset] == 'M' && b[offset + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(b, offset + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(b, offset + 4, little);
    if (ifd < 8 || ifd + 2 > length) {
      return 1;
    }
    int entries = u16(b, offset + (int) ifd, little);
    int entry = offset + (int) ifd + 2;
    for (int i = 0; i < entries && entry + 12 <= offset + length; i++, entry += 12) {
      if (u16(b, entry, little) == TAG_ORIENTATION) {
        int type = u16(b, entry + 2, little);
        int value = type == TYPE_SHORT ? u16(b, entry + 8, little) : -1;
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  /**
   * Returns {@code src} (a {@code TYPE_INT_RGB} image) turned upright for the given orientation;
   * orientations 5..8 swap width and height. Orientation 1 (or anything outside 1..8) returns
   * {@code src} itself.
   */
  static BufferedImage apply(BufferedImage src, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
    BufferedImage dst = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < oh; y++) {
      int row = y * ow;
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> { // transpose
            sx = y;
            sy = x;
          }
          case 6 -> { // rotate 90 degrees clockwise
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> { // transverse
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> { // 8: rotate 90 degrees counter-clockwise
            sx = w - 1 - y;
            sy = x;
          }
        }
        out[row + x] = in[sy * w + sx];
      }
    }
    return dst;
  }

  private static int u16(byte[] b, int i, boolean little) {
    int b0 = b[i] & 0xFF;
    int b1 = b[i + 1] & 0xFF;
    return little ? (b1 << 8) | b0 : (b0 << 8) | b1;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long hi = u16(b, little ? i + 2 : i, little);
    long lo = u16(b, little ? i : i + 2, little);
    return (hi << 16) | lo;
  }
}
