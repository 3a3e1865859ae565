package dev.shopsearch.core.image;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.util.Locale;

/**
 * Structural completeness checks, run before decoding: ImageIO readers often return a partly blank
 * image for a truncated file instead of failing. The same walk finds what the decoder needs besides
 * the pixels: the EXIF block (one rule for every format, see {@link ExifBlock}) and an animated
 * WebP's first frame. JPEG is walked by {@link JpegSegments}, WebP by {@link WebpContainer}.
 */
final class ContainerCheck {
  private ContainerCheck() {}

  /**
   * What the walk found.
   *
   * @param exif the EXIF block, {@link ExifBlock#NONE} when there is none (always for GIF, BMP)
   * @param webpIcc a WebP's ICC profile bytes ({@code ICCP} chunk), else null (the other formats'
   *     readers apply their profiles themselves)
   * @param webpFirstFrame an animated WebP's first frame, else null
   */
  record Found(ExifBlock exif, byte[] webpIcc, WebpFrame webpFirstFrame) {
    static final Found NOTHING = new Found(ExifBlock.NONE, null, null);
  }

  /**
   * Checks {@code b} and returns what the walk found.
   *
   * @throws ImageDecodeException {@code TRUNCATED} when the file ends before the (first) image's
   *     data does; {@code CORRUPT} when the container structure is invalid
   */
  static Found check(ImageFormat format, byte[] b) {
    return switch (format) {
      case PNG -> new Found(png(b), null, null);
      case GIF -> {
        gif(b);
        yield Found.NOTHING;
      }
      case WEBP -> {
        WebpContainer webp = WebpContainer.parse(b);
        yield new Found(webp.exif(), webp.icc(), webp.firstFrame());
      }
      case BMP -> {
        bmp(b);
        yield Found.NOTHING;
      }
      case JPEG -> new Found(JpegSegments.scan(b), null, null);
    };
  }

  /** Walks the chunks up to IEND; returns the first eXIf chunk's block. */
  private static ExifBlock png(byte[] b) {
    int pos = 8;
    boolean sawData = false;
    ExifBlock exif = ExifBlock.NONE;
    while (true) {
      if (pos + 8 > b.length) {
        throw truncated("PNG", b.length, sawData ? "no IEND chunk" : "no IDAT chunk");
      }
      long length = u32be(b, pos);
      String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (length > Integer.MAX_VALUE) {
        throw new ImageDecodeException(
            Reason.CORRUPT,
            String.format(
                Locale.ROOT,
                "corrupt PNG: chunk '%s' at byte %d claims %d bytes",
                type,
                pos,
                length));
      }
      long end = pos + 12 + length;
      if (end > b.length) {
        throw truncated(
            "PNG",
            b.length,
            String.format(
                Locale.ROOT, "chunk '%s' at byte %d needs %d data bytes", type, pos, length));
      }
      if (type.equals("IDAT")) {
        sawData = true;
      } else if (type.equals("eXIf") && exif.offset() < 0) {
        exif = ExifBlock.of(b, pos + 8, pos + 8 + (int) length);
      } else if (type.equals("IEND")) {
        if (!sawData) {
          throw new ImageDecodeException(Reason.CORRUPT, "corrupt PNG: IEND before any IDAT chunk");
        }
        return exif;
      }
      pos = (int) end;
    }
  }

  /** Walks the blocks up to the end of the first image's LZW data. */
  private static void gif(byte[] b) {
    int pos = 13;
    if (b.length < pos) {
      throw truncated("GIF", b.length, "an incomplete header");
    }
    int flags = b[10] & 0xFF;
    if ((flags & 0x80) != 0) {
      pos += 3 * (1 << ((flags & 7) + 1));
    }
    while (true) {
      if (pos >= b.length) {
        throw truncated("GIF", b.length, "no image");
      }
      int block = b[pos++] & 0xFF;
      switch (block) {
        case 0x21 -> pos = skipSubBlocks(b, pos + 1); // extension: label, then sub-blocks
        case 0x2C -> {
          if (pos + 9 > b.length) {
            throw truncated("GIF", b.length, "an incomplete image descriptor");
          }
          int imageFlags = b[pos + 8] & 0xFF;
          pos += 9;
          if ((imageFlags & 0x80) != 0) {
            pos += 3 * (1 << ((imageFlags & 7) + 1));
          }
          skipSubBlocks(b, pos + 1); // LZW minimum code size, then the data sub-blocks
          return;
        }
        case 0x3B ->
            throw new ImageDecodeException(Reason.CORRUPT, "corrupt GIF: trailer before any image");
        default ->
            throw new ImageDecodeException(
                Reason.CORRUPT,
                String.format(
                    Locale.ROOT, "corrupt GIF: unknown block 0x%02X at byte %d", block, pos - 1));
      }
    }
  }

  private static int skipSubBlocks(byte[] b, int pos) {
    while (true) {
      if (pos >= b.length) {
        throw truncated("GIF", b.length, "an unterminated data block");
      }
      int size = b[pos] & 0xFF;
      pos += 1 + size;
      if (size == 0) {
        return pos;
      }
    }
  }

  /**
   * Width and height from a BMP info header ({@code {width, |height|}}), or null when the header is
   * neither the 12-byte OS/2 nor a 40+ byte Windows header. The JDK reader refuses headers whose
   * size disagrees with the file before reporting them, so the decoder reads them here too.
   */
  static long[] bmpDimensions(byte[] b) {
    long headerSize = u32le(b, 14);
    if (headerSize == 12) {
      return new long[] {u16le(b, 18), u16le(b, 20)};
    }
    if (headerSize >= 40 && b.length >= 34) {
      return new long[] {(int) u32le(b, 18), Math.abs((long) (int) u32le(b, 22))};
    }
    return null;
  }

  /** Uncompressed BMPs must hold every row; compressed ones their declared file size. */
  private static void bmp(byte[] b) {
    long[] dimensions = bmpDimensions(b);
    if (dimensions == null) {
      throw new ImageDecodeException(
          Reason.CORRUPT,
          String.format(
              Locale.ROOT,
              "corrupt BMP: info header size %d (expected 12 or at least 40), file of %d bytes",
              u32le(b, 14),
              b.length));
    }
    boolean os2 = u32le(b, 14) == 12;
    int bpp = u16le(b, os2 ? 24 : 28);
    long compression = os2 ? 0 : u32le(b, 30);
    long needed;
    if ((compression == 0 || compression == 3 || compression == 6)
        && dimensions[0] > 0
        && bpp > 0) {
      long stride = ((dimensions[0] * bpp + 31) / 32) * 4;
      needed = u32le(b, 10) + stride * dimensions[1];
    } else {
      needed = u32le(b, 2);
    }
    if (needed > b.length) {
      throw truncated(
          "BMP",
          b.length,
          String.format(Locale.ROOT, "%d of the %d bytes its header implies", b.length, needed));
    }
  }

  private static ImageDecodeException truncated(String format, int length, String what) {
    return new ImageDecodeException(
        Reason.TRUNCATED,
        String.format(
            Locale.ROOT, "truncated %s: the file ends at byte %d with %s", format, length, what));
  }

  private static long u32be(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24)
        | ((b[i + 1] & 0xFF) << 16)
        | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  private static long u32le(byte[] b, int i) {
    return ((long) (b[i + 3] & 0xFF) << 24)
        | ((b[i + 2] & 0xFF) << 16)
        | ((b[i + 1] & 0xFF) << 8)
        | (b[i] & 0xFF);
  }

  private static int u16le(byte[] b, int i) {
    return ((b[i + 1] & 0xFF) << 8) | (b[i] & 0xFF);
  }
}
