package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-epoch checkpoints of {@link LockedHeads}: {@code dir/<name>.safetensors} (every parameter,
 * F32, under its parameter name) and {@code dir/<name>.json} (epoch and metrics). Both are written
 * to a temporary file and moved into place, so an interrupted run leaves the previous checkpoint
 * whole. The trainer writes {@code last} after every epoch and {@code best} when validation
 * improves. Not thread-safe.
 */
public final class HeadCheckpoints {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public HeadCheckpoints(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The weights file of checkpoint {@code name}. */
  public Path weights(String name) {
    return dir.resolve(name + ".safetensors");
  }

  /** Writes checkpoint {@code name} of {@code heads} with {@code info} (epoch, metrics). */
  public void save(String name, LockedHeads heads, Map<String, Object> info) {
    try {
      Files.createDirectories(dir);
      NDList list = new NDList();
      heads.trainable().forEach(p -> list.add(heads.get(p)));
      atomicWrite(weights(name), out -> list.encode(out, NDList.Encoding.SAFETENSORS));
      Map<String, Object> meta = new LinkedHashMap<>(info);
      meta.put("heads", heads.config());
      atomicWrite(dir.resolve(name + ".json"), out -> JSON.writeValue(out, meta));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + name + " in " + dir, e);
    }
  }

  /**
   * Reads a weights file into a {@link LockedHeads#restore} map.
   *
   * @throws IOException when the file is missing or not safetensors
   */
  public static Map<String, float[]> load(Path weights, NDManager parent) throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager m = parent.newSubManager()) {
      NDList list = NDList.decode(m, Files.readAllBytes(weights));
      for (NDArray a : list) {
        out.put(a.getName(), a.toFloatArray());
      }
    }
    return out;
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void atomicWrite(Path file, Writer writer) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
