package dev.shopsearch.core.image;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/** The encoded formats {@link ImageDecoder} reads, recognised by their magic numbers. */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  WEBP("webp");

  /** Human-readable list for error messages. */
  static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP";

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format name ImageIO registers readers under. */
  String imageIoName() {
    return imageIoName;
  }

  /**
   * Recognises the format from the first bytes.
   *
   * @throws ImageDecodeException {@code NOT_AN_IMAGE} for empty input, text or unknown bytes;
   *     {@code UNSUPPORTED} for image formats this decoder does not read (TIFF, HEIF/AVIF, JPEG
   *     2000, JPEG XL, PSD, ICO, SVG)
   */
  public static ImageFormat detect(byte[] b) {
    if (b == null || b.length == 0) {
      throw new ImageDecodeException(Reason.NOT_AN_IMAGE, "not an image: the input is empty");
    }
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && b[5] == 'a') {
      return GIF;
    }
    if (startsWith(b, 0, 'B', 'M') && b.length >= 26 && isBmpInfoHeaderSize(b)) {
      return BMP;
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    String unsupported = unsupportedFormat(b);
    if (unsupported != null) {
      throw new ImageDecodeException(
          Reason.UNSUPPORTED,
          String.format(
              Locale.ROOT,
              "unsupported image format %s; supported formats are %s",
              unsupported,
              SUPPORTED));
    }
    throw new ImageDecodeException(Reason.NOT_AN_IMAGE, "not an image: " + describe(b));
  }

  /** Known BITMAPINFOHEADER sizes, so that text starting with "BM" is not taken for a bitmap. */
  private static boolean isBmpInfoHeaderSize(byte[] b) {
    int size = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
    return size == 12
        || size == 16
        || size == 40
        || size == 52
        || size == 56
        || size == 64
        || size == 108
        || size == 124;
  }

  private static String unsupportedFormat(byte[] b) {
    if (startsWith(b, 0, 'I', 'I', 0x2A, 0x00) || startsWith(b, 0, 'M', 'M', 0x00, 0x2A)) {
      return "TIFF";
    }
    if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
      String brand = new String(b, 8, Math.min(4, b.length - 8), StandardCharsets.ISO_8859_1);
      return brand.startsWith("avi") ? "AVIF" : "HEIF/ISO-BMFF (brand '" + brand.strip() + "')";
    }
    if (startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P') || startsWith(b, 0, 0xFF, 0x4F, 0xFF)) {
      return "JPEG 2000";
    }
    if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L')) {
      return "JPEG XL";
    }
    if (startsWith(b, 0, '8', 'B', 'P', 'S')) {
      return "PSD";
    }
    if (startsWith(b, 0, 0x00, 0x00, 0x01, 0x00)) {
      return "ICO";
    }
    String head =
        new String(b, 0, Math.min(b.length, 512), StandardCharsets.ISO_8859_1)
            .toLowerCase(Locale.ROOT);
    if (head.contains("<svg")) {
      return "SVG";
    }
    return null;
  }

  /** Describes the first bytes of an unrecognised input: printable text, else hex. */
  static String describe(byte[] b) {
    int n = Math.min(b.length, 16);
    boolean text = true;
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xFF;
      if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F) {
        text = false;
        break;
      }
    }
    if (text) {
      String s = new String(b, 0, n, StandardCharsets.ISO_8859_1).replaceAll("\\s+", " ").strip();
      return String.format(
          Locale.ROOT, "the %d bytes look like text starting with \"%s\"", b.length, s);
    }
    return String.format(
        Locale.ROOT,
        "unknown format, the %d bytes start with %s (expected the magic number of %s)",
        b.length,
        HexFormat.ofDelimiter(" ").formatHex(b, 0, n),
        SUPPORTED);
  }

  static boolean startsWith(byte[] b, int offset, int... magic) {
    if (b.length < offset + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[offset + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
