package dev.shopsearch.core.image;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.util.Locale;

/**
 * Walks a JPEG's marker segments without decoding: finds the EXIF APP1 segment and checks that the
 * entropy-coded data is followed by an EOI marker (ImageIO fills a truncated JPEG with grey and
 * only warns).
 */
final class JpegSegments {
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;
  private static final int APP1 = 0xE1;

  private JpegSegments() {}

  /**
   * Scans {@code b}, which must start with SOI, and returns the TIFF block of its first {@code
   * Exif} APP1 segment ({@link ExifBlock#NONE} when it has none).
   *
   * @throws ImageDecodeException {@code TRUNCATED} when a segment or the scan data runs past the
   *     end or no EOI follows the scans; {@code CORRUPT} when EOI comes before any scan
   */
  static ExifBlock scan(byte[] b) {
    ExifBlock exif = ExifBlock.NONE;
    boolean sawScan = false;
    int pos = 2;
    while (true) {
      // Find the next marker: 0xFF (fill bytes allowed) followed by a non-zero, non-0xFF code.
      while (pos < b.length && (b[pos] & 0xFF) != 0xFF) {
        pos++; // extraneous bytes, tolerated as libjpeg does
      }
      while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= b.length) {
        throw truncated(b.length, sawScan ? "no EOI marker after the scan data" : "no scan data");
      }
      int marker = b[pos++] & 0xFF;
      if (marker == EOI) {
        if (!sawScan) {
          throw new ImageDecodeException(
              Reason.CORRUPT,
              String.format(
                  Locale.ROOT, "corrupt JPEG: EOI marker at byte %d before any scan", pos - 2));
        }
        return exif;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        continue; // TEM, RSTn, SOI: no length
      }
      if (pos + 2 > b.length) {
        throw truncated(
            b.length, String.format(Locale.ROOT, "marker 0x%02X has no length", marker));
      }
      int length = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
      if (length < 2) {
        throw new ImageDecodeException(
            Reason.CORRUPT,
            String.format(
                Locale.ROOT,
                "corrupt JPEG: segment 0x%02X at byte %d has length %d (minimum 2)",
                marker,
                pos - 2,
                length));
      }
      int end = pos + length;
      if (end > b.length) {
        throw truncated(
            b.length,
            String.format(
                Locale.ROOT,
                "segment 0x%02X at byte %d needs %d bytes, %d remain",
                marker,
                pos - 2,
                length,
                b.length - pos));
      }
      if (marker == APP1 && exif.offset() < 0 && isExif(b, pos + 2, end)) {
        exif = ExifBlock.of(b, pos + 2, end);
      }
      pos = end;
      if (marker == SOS) {
        sawScan = true;
        pos = skipEntropyData(b, pos);
      }
    }
  }

  /** Returns the position of the first marker (other than RSTn or stuffed 0xFF00) at/after pos. */
  private static int skipEntropyData(byte[] b, int pos) {
    while (pos < b.length - 1) {
      if ((b[pos] & 0xFF) == 0xFF) {
        int next = b[pos + 1] & 0xFF;
        if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) {
          return pos;
        }
      }
      pos++;
    }
    return b.length;
  }

  private static boolean isExif(byte[] b, int start, int end) {
    return end - start >= 6
        && b[start] == 'E'
        && b[start + 1] == 'x'
        && b[start + 2] == 'i'
        && b[start + 3] == 'f'
        && b[start + 4] == 0
        && b[start + 5] == 0;
  }

  private static ImageDecodeException truncated(int length, String what) {
    return new ImageDecodeException(
        Reason.TRUNCATED,
        String.format(
            Locale.ROOT, "truncated JPEG: the file ends at byte %d with %s", length, what));
  }
}
