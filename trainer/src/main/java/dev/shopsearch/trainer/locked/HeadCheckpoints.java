package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.trainer.clip.AdamW;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-epoch checkpoints of {@link LockedHeads}: {@code dir/<name>.safetensors} (every parameter,
 * F32, under its parameter name) and {@code dir/<name>.json} (epoch and metrics). Both are written
 * to a temporary file and moved into place, so an interrupted run leaves the previous checkpoint
 * whole. The trainer writes {@code last} after every epoch and {@code best} when validation
 * improves (and before the first epoch). With {@link #saveLast} the {@code last} checkpoint also
 * holds the AdamW moments ({@code last.optim.safetensors}) and the {@link LockedState} (in {@code
 * last.json}), which {@link #loadLast} reads back for {@code --resume}; the optimizer file is
 * written first and carries its step count, so a run killed between the two files is detected
 * rather than resumed from mismatched state. Not thread-safe.
 */
public final class HeadCheckpoints {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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

  /** Writes {@code last}: heads, optimizer moments and the run state. */
  public void saveLast(
      LockedHeads heads, AdamW optimizer, Map<String, Object> info, LockedState state) {
    try {
      Files.createDirectories(dir);
      NDList moments = optimizer.state();
      try {
        atomicWrite(
            dir.resolve("last.optim.safetensors"),
            out -> moments.encode(out, NDList.Encoding.SAFETENSORS));
      } finally {
        moments.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write optimizer checkpoint in " + dir, e);
    }
    Map<String, Object> meta = new LinkedHashMap<>(info);
    meta.put("state", state);
    save("last", heads, meta);
  }

  /**
   * Restores {@code heads} and {@code optimizer} from {@code last} and returns the run state, or
   * empty when there is no resumable checkpoint in the directory.
   *
   * @throws IllegalStateException if the checkpoint is incomplete or its parts disagree (a run
   *     killed while writing them), naming the files
   */
  public Optional<LockedState> loadLast(LockedHeads heads, AdamW optimizer, NDManager parent) {
    Path json = dir.resolve("last.json");
    Path optim = dir.resolve("last.optim.safetensors");
    if (!Files.isRegularFile(json)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(json.toFile());
      if (!node.has("state") || !Files.isRegularFile(optim)) {
        throw new IllegalStateException(
            json + " has no resumable state (written without optimizer moments); start afresh");
      }
      LockedState state = JSON.treeToValue(node.get("state"), LockedState.class);
      heads.restore(load(weights("last"), parent));
      try (NDManager m = parent.newSubManager()) {
        NDList moments = NDList.decode(m, Files.readAllBytes(optim));
        long step = -1;
        for (NDArray a : moments) {
          if ("step".equals(a.getName())) {
            step = (long) a.toFloatArray()[0];
          }
        }
        if (step != state.step()) {
          throw new IllegalStateException(
              String.format(
                  java.util.Locale.ROOT,
                  "%s is at step %d but %s at step %d (interrupted while saving?); start afresh",
                  optim,
                  step,
                  json,
                  state.step()));
        }
        optimizer.restore(moments);
      }
      return Optional.of(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint in " + dir, e);
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
