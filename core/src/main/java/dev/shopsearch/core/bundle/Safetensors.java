package dev.shopsearch.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Minimal reader and writer for the safetensors format (8-byte little-endian header length, JSON
 * header, raw little-endian tensor data), used for projection matrices in bundles. Reads {@code
 * F32}, {@code F16} and {@code BF16} tensors as floats; writes {@code F32}.
 */
public final class Safetensors {
  /** Largest header accepted (the format's own limit is 100 MB). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A dense float tensor, row-major.
   *
   * @param shape dimensions
   * @param data {@code product(shape)} values
   */
  public record FloatTensor(long[] shape, float[] data) {
    public FloatTensor {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "tensor shape %s needs %d values; got %d",
                Arrays.toString(shape),
                n,
                data.length));
      }
    }
  }

  private Safetensors() {}

  /**
   * Reads one tensor.
   *
   * @throws BundleException naming the file and the tensor if it is missing, malformed or of an
   *     unsupported dtype
   */
  public static FloatTensor read(Path file, String name) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BundleException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 8) {
      throw new BundleException(file + ": not a safetensors file (shorter than 8 bytes)");
    }
    long headerLen = buf.getLong(0);
    if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > bytes.length) {
      throw new BundleException(
          String.format(
              Locale.ROOT,
              "%s: invalid safetensors header length %d (file has %d bytes, limit %d)",
              file,
              headerLen,
              bytes.length,
              MAX_HEADER_BYTES));
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BundleException(file + ": safetensors header is not valid JSON", e);
    }
    JsonNode entry = header.get(name);
    if (entry == null) {
      TreeMap<String, String> available = new TreeMap<>();
      header
          .properties()
          .forEach(
              p -> {
                if (!p.getKey().equals("__metadata__")) {
                  available.put(p.getKey(), p.getValue().path("shape").toString());
                }
              });
      throw new BundleException(
          file + ": no tensor named '" + name + "'; the file has " + available);
    }
    String dtype = entry.path("dtype").asText();
    JsonNode shapeNode = entry.path("shape");
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      count *= shape[i];
    }
    long begin = entry.path("data_offsets").path(0).asLong(-1);
    long end = entry.path("data_offsets").path(1).asLong(-1);
    int width =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default ->
              throw new BundleException(
                  file
                      + ": tensor '"
                      + name
                      + "' has dtype "
                      + dtype
                      + "; supported: F32, F16, BF16");
        };
    long dataStart = 8 + headerLen;
    if (begin < 0
        || end < begin
        || dataStart + end > bytes.length
        || end - begin != count * width) {
      throw new BundleException(
          String.format(
              Locale.ROOT,
              "%s: tensor '%s' %s %s has data_offsets [%d, %d] that do not fit %d values in a"
                  + " file of %d bytes",
              file,
              name,
              dtype,
              Arrays.toString(shape),
              begin,
              end,
              count,
              bytes.length));
    }
    float[] data = new float[(int) count];
    int pos = (int) (dataStart + begin);
    for (int i = 0; i < data.length; i++) {
      data[i] =
          switch (dtype) {
            case "F32" -> buf.getFloat(pos + 4 * i);
            case "F16" -> Float.float16ToFloat(buf.getShort(pos + 2 * i));
            default -> Float.intBitsToFloat((buf.getShort(pos + 2 * i) & 0xffff) << 16);
          };
    }
    return new FloatTensor(shape, data);
  }

  /** Serialises tensors as {@code F32} safetensors, names in sorted order. */
  public static byte[] write(Map<String, FloatTensor> tensors) {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    TreeMap<String, FloatTensor> sorted = new TreeMap<>(tensors);
    for (Map.Entry<String, FloatTensor> e : sorted.entrySet()) {
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().data().length;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (headerBytes.length + 7) / 8 * 8;
    ByteBuffer out =
        ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(headerBytes);
    for (int i = headerBytes.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (FloatTensor t : sorted.values()) {
      for (float v : t.data()) {
        out.putFloat(v);
      }
    }
    return out.array();
  }
}
