package dev.shopsearch.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Builds encoded test images in memory (ImageIO writers and hand-made bytes). */
final class TestImages {
  private TestImages() {}

  /** A {@code TYPE_INT_RGB} image with four solid quadrants (TL, TR, BL, BR). */
  static BufferedImage quadrants(int w, int h, int tl, int tr, int bl, int br) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean left = x < w / 2;
        boolean top = y < h / 2;
        img.setRGB(x, y, top ? (left ? tl : tr) : (left ? bl : br));
      }
    }
    return img;
  }

  /** A seeded noisy image, smooth enough to survive JPEG. */
  static BufferedImage noise(int w, int h, long seed, int type) {
    java.util.Random random = new java.util.Random(seed);
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, 0xFF000000 | random.nextInt(1 << 24));
      }
    }
    return img;
  }

  /**
   * A seeded photo-like image: smooth colour gradients and waves, hard-edged shapes in saturated
   * colours, near-black and near-white areas and a little texture, so that a lossy codec's
   * prediction, loop filter, chroma upsampling and clipping all take part.
   */
  static BufferedImage photoLike(int w, int h, long seed) {
    java.util.Random random = new java.util.Random(seed);
    double phase = random.nextDouble() * Math.PI;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (double) x / w;
        double v = (double) y / h;
        int r = (int) (255 * u);
        int g = (int) (127.5 + 127.5 * Math.sin(9 * u + 5 * v + phase));
        int b = (int) (255 * v * (1 - u / 2));
        if ((x - w / 3) * (x - w / 3) + (y - h / 2) * (y - h / 2) < (h / 5) * (h / 5)) {
          r = 230;
          g = 20;
          b = 40; // a red disc
        } else if (x > 2 * w / 3 && y < h / 3) {
          r = g = b = (x / 4 + y / 4) % 2 == 0 ? 250 : 5; // a checkerboard, near white and black
        }
        int noise = random.nextInt(13) - 6;
        img.setRGB(x, y, clamp(r + noise) << 16 | clamp(g + noise) << 8 | clamp(b + noise));
      }
    }
    return img;
  }

  /**
   * {@code img} with an alpha channel: fully transparent and fully opaque bands and a smooth ramp
   * in between (an ARGB copy).
   */
  static BufferedImage withAlphaRamp(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int alpha = x < w / 5 ? 0 : x >= 4 * w / 5 ? 255 : clamp((int) (255.0 * y / (h - 1)));
        argb.setRGB(x, y, alpha << 24 | (img.getRGB(x, y) & 0xFFFFFF));
      }
    }
    return argb;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Encodes with the JDK's writer for the format (jpeg, png, gif, bmp). */
  static byte[] encode(RenderedImage img, String format) {
    ImageWriter writer = jdkWriter(format);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      if (format.equals("jpeg")) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        writer.write(null, new IIOImage(img, null, null), param);
      } else {
        writer.write(img);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A progressive JPEG. */
  static byte[] progressiveJpeg(BufferedImage img) {
    ImageWriter writer = jdkWriter("jpeg");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A 4-component JPEG with an Adobe APP14 marker: transform 0 = CMYK, 2 = YCCK. The samples are
   * written as given (Adobe CMYK is stored inverted: 255 = no ink).
   */
  static byte[] fourChannelJpeg(int w, int h, int[] left, int[] right, int transform) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setPixel(x, y, x < w / 2 ? left : right);
      }
    }
    ImageWriter writer = jdkWriter("jpeg");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    byte[] app14 = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform
    };
    return insertAfterSoi(bytes.toByteArray(), app14);
  }

  /**
   * Adds an EXIF APP1 segment with IFD0 holding the orientation tag (SHORT) and one other tag, in
   * the given byte order.
   */
  static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
    byte[] exif =
        concat(
            "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exifTiff(orientation, littleEndian));
    ByteBuffer app1 = ByteBuffer.allocate(4 + exif.length);
    app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + exif.length)).put(exif);
    return insertAfterSoi(jpeg, app1.array());
  }

  /**
   * An EXIF TIFF block whose IFD0 holds ImageWidth (LONG) and then the orientation tag (SHORT), in
   * the given byte order.
   */
  static byte[] exifTiff(int orientation, boolean littleEndian) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4);
    tiff.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    // ImageWidth (LONG) first, so the orientation is not the only entry.
    tiff.putShort((short) 0x0100).putShort((short) 4).putInt(1).putInt(640);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    return tiff.array();
  }

  /**
   * Adds an {@code eXIf} chunk holding {@code exif} to a PNG: right after IHDR (the usual place)
   * or, with {@code afterData}, just before IEND (where some writers put it).
   */
  static byte[] pngWithExif(byte[] png, byte[] exif, boolean afterData) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + exif.length).order(ByteOrder.BIG_ENDIAN);
    chunk(chunk, "eXIf", exif);
    int at = afterData ? png.length - 12 : 8 + 25; // before IEND, or after signature + IHDR
    byte[] out = new byte[png.length + chunk.capacity()];
    System.arraycopy(png, 0, out, 0, at);
    System.arraycopy(chunk.array(), 0, out, at, chunk.capacity());
    System.arraycopy(png, at, out, at + chunk.capacity(), png.length - at);
    return out;
  }

  /**
   * Re-wraps a simple WebP ({@code RIFF WEBP} + one {@code VP8 }/{@code VP8L} chunk) of the given
   * size as an extended file: {@code VP8X} (EXIF flag set), the image chunk, then an {@code EXIF}
   * chunk holding {@code exif}.
   */
  static byte[] webpWithExif(byte[] simpleWebp, int width, int height, byte[] exif) {
    return webpExtended(simpleWebp, width, height, null, exif);
  }

  /**
   * Re-wraps a simple WebP as an extended file: {@code VP8X} (flags for what is given), an {@code
   * ICCP} chunk when {@code icc} is not null, the image chunk, an {@code EXIF} chunk when {@code
   * exif} is not null.
   */
  static byte[] webpExtended(byte[] simpleWebp, int width, int height, byte[] icc, byte[] exif) {
    byte[] image = java.util.Arrays.copyOfRange(simpleWebp, 12, simpleWebp.length);
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    int flags = (icc != null ? 0x20 : 0) | (exif != null ? 0x08 : 0);
    byte[] vp8x = new byte[10];
    vp8x[0] = (byte) flags;
    System.arraycopy(u24(width - 1), 0, vp8x, 4, 3);
    System.arraycopy(u24(height - 1), 0, vp8x, 7, 3);
    riffChunk(chunks, "VP8X", vp8x);
    if (icc != null) {
      riffChunk(chunks, "ICCP", icc);
    }
    chunks.writeBytes(image);
    if (exif != null) {
      riffChunk(chunks, "EXIF", exif);
    }
    ByteBuffer b = ByteBuffer.allocate(12 + chunks.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(b.capacity() - 8);
    b.put("WEBP".getBytes(StandardCharsets.ISO_8859_1)).put(chunks.toByteArray());
    return b.array();
  }

  private static void riffChunk(ByteArrayOutputStream out, String fourcc, byte[] data) {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.put(fourcc.getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length);
    out.writeBytes(header.array());
    out.writeBytes(data);
    if ((data.length & 1) != 0) {
      out.write(0);
    }
  }

  /** A lossless WebP made by libwebp's encoder (through webp-imageio's ImageIO writer). */
  static byte[] losslessWebp(BufferedImage img) {
    return webp(img, com.luciad.imageio.webp.CompressionType.Lossless);
  }

  /** A lossy WebP (quality 75; ALPH + VP8 when {@code img} has alpha) made by libwebp's encoder. */
  static byte[] lossyWebp(BufferedImage img) {
    return webp(img, com.luciad.imageio.webp.CompressionType.Lossy);
  }

  private static byte[] webp(BufferedImage img, com.luciad.imageio.webp.CompressionType type) {
    ImageWriter writer = ImageIO.getImageWritersByMIMEType("image/webp").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      com.luciad.imageio.webp.WebPWriteParam param =
          (com.luciad.imageio.webp.WebPWriteParam) writer.getDefaultWriteParam();
      param.setCompressionType(type);
      if (type == com.luciad.imageio.webp.CompressionType.Lossy) {
        param.setCompressionQuality(0.75f);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] u24(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16)};
  }

  /** Embeds an ICC profile as a single APP2 {@code ICC_PROFILE} segment. */
  static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
    byte[] tag = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + tag.length + 2 + profile.length;
    ByteBuffer app2 = ByteBuffer.allocate(2 + length);
    app2.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(tag);
    app2.put((byte) 1).put((byte) 1).put(profile);
    return insertAfterSoi(jpeg, app2.array());
  }

  static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  /** A GIF with several frames (each a solid colour from {@code colors}). */
  static byte[] animatedGif(int w, int h, List<Integer> colors) {
    ImageWriter writer = jdkWriter("gif");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int color : colors) {
        BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            frame.setRGB(x, y, color);
          }
        }
        ImageWriteParam param = writer.getDefaultWriteParam();
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
        IIOMetadata metadata = writer.getDefaultImageMetadata(type, param);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", "10");
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        metadata.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, metadata), param);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A PNG with only a valid signature, IHDR (8-bit RGB), a tiny IDAT and IEND. */
  static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 2 + 12).order(ByteOrder.BIG_ENDIAN);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    chunk(b, "IHDR", ihdr.array());
    chunk(b, "IDAT", new byte[] {0x78, 0x01});
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    b.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
  }

  /**
   * A hand-made lossless WebP (VP8L) of one solid ARGB colour: every prefix code is a "simple" code
   * with a single symbol, so the pixels take zero bits.
   */
  static byte[] solidWebp(int width, int height, int argb) {
    BitWriter bits = new BitWriter();
    bits.write(0x2F, 8); // VP8L signature
    bits.write(width - 1, 14);
    bits.write(height - 1, 14);
    bits.write((argb >>> 24) != 0xFF ? 1 : 0, 1); // alpha_is_used
    bits.write(0, 3); // version
    bits.write(0, 1); // no transform
    bits.write(0, 1); // no colour cache
    bits.write(0, 1); // no meta prefix codes
    int[] symbols = {argb >> 8 & 0xFF, argb >> 16 & 0xFF, argb & 0xFF, argb >>> 24, 0};
    for (int symbol : symbols) { // green, red, blue, alpha, distance
      bits.write(1, 1); // simple code
      bits.write(0, 1); // one symbol
      bits.write(1, 1); // 8-bit symbol
      bits.write(symbol, 8);
    }
    byte[] data = bits.toByteArray();
    int padded = data.length + (data.length & 1);
    ByteBuffer b = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(12 + padded);
    b.put("WEBPVP8L".getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length).put(data);
    return b.array();
  }

  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long buffer;
    private int count;

    void write(int value, int n) {
      buffer |= ((long) value & ((1L << n) - 1)) << count;
      count += n;
      while (count >= 8) {
        out.write((int) (buffer & 0xFF));
        buffer >>>= 8;
        count -= 8;
      }
    }

    byte[] toByteArray() {
      if (count > 0) {
        out.write((int) (buffer & 0xFF));
        buffer = 0;
        count = 0;
      }
      return out.toByteArray();
    }
  }

  static byte[] truncate(byte[] b, double fraction) {
    return java.util.Arrays.copyOf(b, (int) (b.length * fraction));
  }

  private static ImageWriter jdkWriter(String format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    ImageWriter fallback = null;
    while (writers.hasNext()) {
      ImageWriter writer = writers.next();
      if (writer.getClass().getName().startsWith("com.sun.")) {
        return writer;
      }
      fallback = writer;
    }
    if (fallback == null) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    return fallback;
  }
}
