package dev.shopsearch.core.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format
 * in plain Java: an 8-byte little-endian header length, a JSON header ({@code name -> {dtype,
 * shape, data_offsets}} plus optional {@code __metadata__} strings), then the raw little-endian
 * tensor bytes.
 *
 * <p>Reading converts F32, F16 and BF16 tensors to float; other dtypes are listed but refused by
 * {@link #readFloats}. Writing produces F32. Tensors are read one at a time through a file channel,
 * so files larger than 2 GB work as long as each tensor is below 2 G values.
 */
public final class Safetensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Maximum header size accepted (100 MB, as the reference implementation). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private Safetensors() {}

  /** Description of one stored tensor. */
  public record Entry(String dtype, long[] shape, long begin, long end) {}

  /** Header of a safetensors file: tensor entries in file order and the metadata strings. */
  public record Header(Map<String, Entry> tensors, Map<String, String> metadata, long dataStart) {}

  /**
   * Parses the header of {@code file}.
   *
   * @throws IOException if the file is shorter than its header says or the JSON is malformed
   */
  public static Header readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(ch, file);
    }
  }

  private static Header readHeader(FileChannel ch, Path file) throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0, file);
    long n = lenBuf.flip().getLong();
    if (n <= 0 || n > MAX_HEADER_BYTES || 8 + n > ch.size()) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s: not a safetensors file (header length %d, file size %d, limit %d)",
              file,
              n,
              ch.size(),
              MAX_HEADER_BYTES));
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    readFully(ch, hb, 8, file);
    JsonNode root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": safetensors header is not a JSON object");
    }
    long dataStart = 8 + n;
    long dataSize = ch.size() - dataStart;
    Map<String, Entry> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        f.getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      JsonNode t = f.getValue();
      JsonNode shapeNode = t.get("shape");
      JsonNode offs = t.get("data_offsets");
      if (t.get("dtype") == null || shapeNode == null || offs == null || offs.size() != 2) {
        throw new IOException(file + ": tensor " + f.getKey() + " lacks dtype/shape/data_offsets");
      }
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      long begin = offs.get(0).asLong();
      long end = offs.get(1).asLong();
      if (begin < 0 || end < begin || end > dataSize) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: tensor %s has offsets [%d, %d] outside the data section of %d bytes",
                file,
                f.getKey(),
                begin,
                end,
                dataSize));
      }
      tensors.put(f.getKey(), new Entry(t.get("dtype").asText(), shape, begin, end));
    }
    return new Header(tensors, metadata, dataStart);
  }

  /**
   * Reads every tensor of {@code file} as floats (F32, F16 and BF16 are converted).
   *
   * @throws IOException naming the tensor if a dtype is unsupported or sizes disagree
   */
  public static Map<String, FloatTensor> readFloats(Path file) throws IOException {
    return readFloats(file, name -> true);
  }

  /**
   * Reads the tensors whose names {@code wanted} accepts (others, whatever their dtype, are not
   * read).
   */
  public static Map<String, FloatTensor> readFloats(
      Path file, java.util.function.Predicate<String> wanted) throws IOException {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = readHeader(ch, file);
      for (Map.Entry<String, Entry> e : h.tensors().entrySet()) {
        if (!wanted.test(e.getKey())) {
          continue;
        }
        out.put(e.getKey(), read(ch, file, h.dataStart(), e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  private static FloatTensor read(FileChannel ch, Path file, long base, String name, Entry e)
      throws IOException {
    int width =
        switch (e.dtype()) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default ->
              throw new IOException(
                  String.format(
                      Locale.ROOT,
                      "%s: tensor %s has dtype %s; supported: F32, F16, BF16",
                      file,
                      name,
                      e.dtype()));
        };
    long count = 1;
    for (long d : e.shape()) {
      count *= d;
    }
    if (count * width != e.end() - e.begin()) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s: tensor %s of shape %s and dtype %s needs %d bytes, offsets give %d",
              file,
              name,
              java.util.Arrays.toString(e.shape()),
              e.dtype(),
              count * width,
              e.end() - e.begin()));
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IOException(file + ": tensor " + name + " has more than 2^31 values");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) (count * width)).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, buf, base + e.begin(), file);
    buf.flip();
    float[] v = new float[(int) count];
    switch (e.dtype()) {
      case "F32" -> buf.asFloatBuffer().get(v);
      case "F16" -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = Float.float16ToFloat(buf.getShort());
        }
      }
      default -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
        }
      }
    }
    return new FloatTensor(e.shape(), v);
  }

  /**
   * Writes F32 tensors (in map order) and metadata strings to {@code file}, atomically: the bytes
   * go to a temporary file next to it that is then moved over {@code file}.
   */
  public static void writeFloats(
      Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(out, tensors, metadata);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The safetensors bytes of F32 {@code tensors} (in map order), e.g. for a bundle file. */
  public static byte[] encode(Map<String, FloatTensor> tensors) {
    var out = new java.io.ByteArrayOutputStream();
    try {
      write(out, tensors, Map.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // cannot happen in memory
    }
    return out.toByteArray();
  }

  private static void write(
      OutputStream out, Map<String, FloatTensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int pad = (8 - json.length % 8) % 8; // align the data section to 8 bytes
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    len.putLong(json.length + pad);
    out.write(len.array());
    out.write(json);
    for (int i = 0; i < pad; i++) {
      out.write(' ');
    }
    for (FloatTensor t : tensors.values()) {
      ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(t.data());
      out.write(b.array());
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file)
      throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new IOException(file + ": unexpected end of file at byte " + p);
      }
      p += r;
    }
  }
}
