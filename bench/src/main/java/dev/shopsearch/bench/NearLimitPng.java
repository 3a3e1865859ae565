package dev.shopsearch.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes the image of the upload benchmark: a 16-bit RGB PNG of one colour with a faint vertical
 * gradient, small on the wire (about 0.3 MB at 6300×6300, near deflate's best ratio, far under the
 * 8 MB upload limit) and just under the 40 MP pixel limit, so that every upload would cost the
 * service a full 16-bit decode of ~40 MP (238 MB of samples) if it let it: the decoder must inflate
 * and unfilter every row whatever the content. Rows are written as PNG "Sub"-filtered scanlines
 * through a deflater, one at a time, so the generator needs no image in memory.
 *
 * <pre>
 * java -cp bench/target/classes dev.shopsearch.bench.NearLimitPng /tmp/near-limit.png [6300]
 * </pre>
 */
public final class NearLimitPng {
  private static final int BYTES_PER_PIXEL = 6; // 16-bit R, G, B

  private NearLimitPng() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: NearLimitPng <out.png> [side, default 6300]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int side = args.length > 1 ? Integer.parseInt(args[1]) : 6300;
    long t0 = System.nanoTime();
    Files.write(out, png(side, side));
    System.out.printf(
        Locale.ROOT,
        "{\"file\":\"%s\",\"width\":%d,\"height\":%d,\"bits\":16,\"bytes\":%d,\"seconds\":%.1f}%n",
        out,
        side,
        side,
        Files.size(out),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The encoded PNG: red and blue constant, green rising by 8 per row.
   *
   * @throws IllegalArgumentException outside [1, 8192] pixels per side (8 × 8191 fits 16 bits)
   */
  static byte[] png(int width, int height) throws IOException {
    if (width < 1 || height < 1 || width > 8192 || height > 8192) {
      throw new IllegalArgumentException(
          "width and height must be in [1, 8192]; got " + width + "x" + height);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 16).put((byte) 2); // 16-bit truecolour
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] raw = new byte[width * BYTES_PER_PIXEL];
    byte[] row = new byte[1 + raw.length];
    row[0] = 1; // filter type Sub: each byte minus the same byte of the pixel to its left
    try (OutputStream z =
        new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          put16(raw, x * BYTES_PER_PIXEL, 0x4000);
          put16(raw, x * BYTES_PER_PIXEL + 2, 8 * y);
          put16(raw, x * BYTES_PER_PIXEL + 4, 0x8000);
        }
        for (int i = 0; i < raw.length; i++) {
          int left = i >= BYTES_PER_PIXEL ? raw[i - BYTES_PER_PIXEL] : 0;
          row[1 + i] = (byte) (raw[i] - left);
        }
        z.write(row);
      }
    }
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void put16(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
