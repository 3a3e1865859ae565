package dev.shopsearch.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Converts any decoded {@link BufferedImage} to an opaque sRGB {@code TYPE_INT_RGB} image.
 *
 * <ul>
 *   <li>sRGB and palette images: samples are rescaled to 8 bits (16-bit: {@code round(v / 257)}).
 *   <li>Grayscale: the gray value is copied to R, G and B (as PIL's {@code L -> RGB}); Java's
 *       {@code CS_GRAY} is linear, so its own conversion would brighten the image.
 *   <li>Other colour spaces (CMYK, YCCK after the reader's conversion, ICC RGB profiles): converted
 *       with {@link ColorConvertOp}.
 *   <li>Alpha: composited on white, {@code round((c * a + 255 * (255 - a)) / 255)}.
 * </ul>
 */
final class RgbConverter {
  private RgbConverter() {}

  static BufferedImage toIntRgb(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_INT_RGB
        && src.getRaster().getDataBuffer() instanceof DataBufferInt buffer
        && buffer.getNumBanks() == 1
        && buffer.getOffset() == 0
        && src.getRaster().getSampleModelTranslateX() == 0
        && src.getRaster().getSampleModelTranslateY() == 0
        && buffer.getData().length == src.getWidth() * src.getHeight()) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
    ColorModel cm = src.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    if (src.getType() == BufferedImage.TYPE_3BYTE_BGR && fromBgr(src, out)) {
      return dst;
    }
    if (cm instanceof IndexColorModel icm) {
      fromPalette(src.getRaster(), icm, out);
    } else if (cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY) {
      fromComponents(src.getRaster(), cm, cs.getType() == ColorSpace.TYPE_GRAY, out);
    } else if (!cm.hasAlpha()) {
      new ColorConvertOp(null).filter(src, dst);
    } else {
      BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
      new ColorConvertOp(null).filter(src, argb);
      int[] in = ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < in.length; i++) {
        int p = in[i];
        int a = p >>> 24;
        out[i] = rgb(over(p >> 16 & 0xFF, a), over(p >> 8 & 0xFF, a), over(p & 0xFF, a));
      }
    }
    return dst;
  }

  /** Fast path for the JPEG reader's usual output. */
  private static boolean fromBgr(BufferedImage src, int[] out) {
    Raster raster = src.getRaster();
    if (!(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
        || raster.getSampleModelTranslateX() != 0
        || raster.getSampleModelTranslateY() != 0
        || sm.getPixelStride() != 3) {
      return false;
    }
    int[] offsets = sm.getBandOffsets();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int base = raster.getDataBuffer().getOffset();
    int stride = sm.getScanlineStride();
    int w = src.getWidth();
    int h = src.getHeight();
    int r0 = offsets[0];
    int g0 = offsets[1];
    int b0 = offsets[2];
    for (int y = 0; y < h; y++) {
      int p = base + y * stride;
      int o = y * w;
      for (int x = 0; x < w; x++, p += 3) {
        out[o + x] =
            (data[p + r0] & 0xFF) << 16 | (data[p + g0] & 0xFF) << 8 | (data[p + b0] & 0xFF);
      }
    }
    return true;
  }

  private static void fromPalette(Raster raster, IndexColorModel icm, int[] out) {
    int[] lut = new int[256];
    int size = Math.min(icm.getMapSize(), 256);
    int[] argb = new int[size];
    icm.getRGBs(argb);
    for (int i = 0; i < size; i++) {
      int p = argb[i];
      int a = p >>> 24;
      lut[i] = rgb(over(p >> 16 & 0xFF, a), over(p >> 8 & 0xFF, a), over(p & 0xFF, a));
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = lut[row[x] & 0xFF];
      }
    }
  }

  private static void fromComponents(Raster raster, ColorModel cm, boolean gray, int[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int colorBands = gray ? 1 : 3;
    boolean alpha = cm.hasAlpha() && bands > colorBands;
    boolean premultiplied = alpha && cm.isAlphaPremultiplied();
    int[] max = new int[bands];
    for (int i = 0; i < bands; i++) {
      max[i] = (1 << cm.getComponentSize(Math.min(i, cm.getNumComponents() - 1))) - 1;
    }
    int[] row = new int[w * bands];
    int[] c = new int[3];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0, s = 0; x < w; x++, s += bands) {
        for (int i = 0; i < 3; i++) {
          int band = gray ? 0 : i;
          c[i] = to8(row[s + band], max[band]);
        }
        if (alpha) {
          int a = to8(row[s + colorBands], max[colorBands]);
          for (int i = 0; i < 3; i++) {
            c[i] = premultiplied ? Math.min(255, c[i] + 255 - a) : over(c[i], a);
          }
        }
        out[y * w + x] = rgb(c[0], c[1], c[2]);
      }
    }
  }

  private static int to8(int v, int max) {
    if (max == 255) {
      return v;
    }
    return (int) ((Math.min(Math.max(v, 0), max) * 255L + max / 2) / max);
  }

  /** Composites an 8-bit channel value with alpha {@code a} on white, rounding to nearest. */
  static int over(int c, int a) {
    return (c * a + 255 * (255 - a) + 127) / 255;
  }

  private static int rgb(int r, int g, int b) {
    return r << 16 | g << 8 | b;
  }
}
