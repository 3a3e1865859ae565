package dev.shopsearch.core.image;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A WebP file's RIFF chunks, walked without decoding: every chunk must fit in the file (a decoder
 * given a cut-off chunk may return a partly blank image), and the walk finds what the decoder needs
 * besides the pixels: the {@code EXIF} chunk and, for an animation, the first frame.
 *
 * <p>As libwebp and Pillow read them: metadata and animation chunks count only in the extended
 * format (first chunk {@code VP8X}); a simple file ({@code VP8 } or {@code VP8L} first) is its one
 * image.
 *
 * @param exif the first {@code EXIF} chunk of an extended file, else {@link ExifBlock#NONE}
 * @param icc the {@code ICCP} chunk's profile bytes of an extended file, else null
 * @param firstFrame the first {@code ANMF} frame when the {@code VP8X} animation flag is set, else
 *     null
 */
record WebpContainer(ExifBlock exif, byte[] icc, WebpFrame firstFrame) {
  private static final int FLAG_ANIMATION = 0x02;
  private static final int ANMF_HEADER = 16;

  /**
   * Walks the chunks of {@code b}, which starts with {@code RIFF....WEBP}.
   *
   * @throws ImageDecodeException {@code TRUNCATED} when the file ends before the RIFF size or a
   *     chunk does; {@code CORRUPT} when the chunks make no image
   */
  static WebpContainer parse(byte[] b) {
    if (b.length < 20) {
      throw truncated(b.length, "an incomplete header");
    }
    long riffEnd = u32le(b, 4) + 8;
    if (riffEnd > b.length) {
      throw truncated(
          b.length,
          String.format(
              Locale.ROOT, "%d of the %d bytes its RIFF header declares", b.length, riffEnd));
    }
    int end = (int) riffEnd;
    String first = null;
    boolean animated = false;
    ExifBlock exif = ExifBlock.NONE;
    byte[] icc = null;
    WebpFrame frame = null;
    int pos = 12;
    while (pos + 8 <= end) {
      String fourcc = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
      long size = u32le(b, pos + 4);
      long payloadEnd = pos + 8 + size;
      if (payloadEnd > end) {
        throw truncated(
            b.length,
            String.format(
                Locale.ROOT,
                "chunk '%s' at byte %d needs %d bytes, %d remain",
                fourcc,
                pos,
                size,
                end - pos - 8));
      }
      int start = pos + 8;
      if (first == null) {
        first = fourcc;
        if (fourcc.equals("VP8X")) {
          if (size < 10) {
            throw corrupt(String.format(Locale.ROOT, "VP8X chunk of %d bytes (expected 10)", size));
          }
          animated = (b[start] & FLAG_ANIMATION) != 0;
        }
      } else if (first.equals("VP8X")) {
        if (fourcc.equals("EXIF") && exif.offset() < 0) {
          exif = ExifBlock.of(b, start, (int) payloadEnd);
        } else if (fourcc.equals("ICCP") && icc == null) {
          icc = Arrays.copyOfRange(b, start, (int) payloadEnd);
        } else if (fourcc.equals("ANMF") && animated && frame == null) {
          frame = frame(b, pos, start, (int) payloadEnd);
        }
      }
      pos = (int) (payloadEnd + (size & 1));
    }
    if (first == null) {
      throw truncated(b.length, "no chunk after the RIFF header");
    }
    if (animated && frame == null) {
      throw corrupt("animation without any ANMF frame");
    }
    return new WebpContainer(exif, icc, frame);
  }

  /** The ANMF chunk's frame, re-wrapped as a still WebP file that libwebp decodes on its own. */
  private static WebpFrame frame(byte[] b, int chunk, int start, int end) {
    if (end - start < ANMF_HEADER + 8) {
      throw corrupt(String.format(Locale.ROOT, "ANMF chunk at byte %d is too short", chunk));
    }
    int x = 2 * u24le(b, start);
    int y = 2 * u24le(b, start + 3);
    int width = u24le(b, start + 6) + 1;
    int height = u24le(b, start + 9) + 1;
    int alph = -1;
    int bitstream = -1;
    int bitstreamEnd = -1;
    for (int pos = start + ANMF_HEADER; pos + 8 <= end; ) {
      String fourcc = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
      long payloadEnd = pos + 8 + u32le(b, pos + 4);
      if (payloadEnd > end) {
        throw corrupt(
            String.format(
                Locale.ROOT, "frame chunk '%s' at byte %d overruns its ANMF chunk", fourcc, pos));
      }
      if (fourcc.equals("ALPH") && alph < 0) {
        alph = pos;
      } else if (fourcc.equals("VP8 ") || fourcc.equals("VP8L")) {
        bitstream = pos;
        bitstreamEnd = (int) payloadEnd;
        break;
      }
      pos = (int) (payloadEnd + (payloadEnd & 1));
    }
    if (bitstream < 0) {
      throw corrupt(String.format(Locale.ROOT, "ANMF chunk at byte %d has no bitstream", chunk));
    }
    return new WebpFrame(
        x, y, width, height, still(b, alph, bitstream, bitstreamEnd, width, height));
  }

  /**
   * {@code RIFF WEBP} + the bitstream chunk, with a {@code VP8X} header (alpha flag, the frame's
   * size as canvas) when an {@code ALPH} chunk goes with it.
   */
  private static byte[] still(byte[] b, int alph, int bitstream, int bitstreamEnd, int w, int h) {
    int bitstreamLength = padded(bitstreamEnd - bitstream);
    int alphLength = alph < 0 ? 0 : padded(8 + (int) u32le(b, alph + 4));
    int vp8xLength = alph < 0 ? 0 : 18;
    byte[] out = new byte[12 + vp8xLength + alphLength + bitstreamLength];
    System.arraycopy(b, 0, out, 0, 4); // "RIFF"
    putU32le(out, 4, out.length - 8);
    System.arraycopy(b, 8, out, 8, 4); // "WEBP"
    int pos = 12;
    if (alph >= 0) {
      System.arraycopy("VP8X".getBytes(StandardCharsets.ISO_8859_1), 0, out, pos, 4);
      putU32le(out, pos + 4, 10);
      out[pos + 8] = 0x10; // alpha
      putU24le(out, pos + 12, w - 1);
      putU24le(out, pos + 15, h - 1);
      pos += vp8xLength;
      System.arraycopy(b, alph, out, pos, Math.min(alphLength, b.length - alph));
      pos += alphLength;
    }
    System.arraycopy(b, bitstream, out, pos, bitstreamEnd - bitstream);
    return out;
  }

  private static int padded(int n) {
    return n + (n & 1);
  }

  private static ImageDecodeException truncated(int length, String what) {
    return new ImageDecodeException(
        Reason.TRUNCATED,
        String.format(
            Locale.ROOT, "truncated WebP: the file ends at byte %d with %s", length, what));
  }

  private static ImageDecodeException corrupt(String what) {
    return new ImageDecodeException(Reason.CORRUPT, "corrupt WebP: " + what);
  }

  private static long u32le(byte[] b, int i) {
    return ((long) (b[i + 3] & 0xFF) << 24) | u24le(b, i);
  }

  private static int u24le(byte[] b, int i) {
    return (b[i + 2] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
  }

  private static void putU32le(byte[] b, int i, int v) {
    putU24le(b, i, v);
    b[i + 3] = (byte) (v >>> 24);
  }

  private static void putU24le(byte[] b, int i, int v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >>> 8);
    b[i + 2] = (byte) (v >>> 16);
  }
}
