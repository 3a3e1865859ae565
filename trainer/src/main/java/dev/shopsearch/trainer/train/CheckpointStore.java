package dev.shopsearch.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.ClipParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checkpoints of a run in one directory, each a single safetensors file replaced atomically
 * (written to a temporary file, then moved), so an interrupted run always leaves the previous
 * checkpoint intact:
 *
 * <ul>
 *   <li>{@value #LAST}: parameters ({@code model.<HF name>}), AdamW moments ({@code optim.m.*},
 *       {@code optim.v.*}, {@code optim.step}) and the {@link TrainState} as JSON in the header
 *       metadata ({@code state});
 *   <li>{@value #BEST}: the parameters with the best validation R@10, under their plain Hugging
 *       Face names (loadable by {@code import-hf}-style readers).
 * </ul>
 */
public final class CheckpointStore {

  /** Latest end-of-epoch checkpoint. */
  public static final String LAST = "last.safetensors";

  /** Best parameters so far. */
  public static final String BEST = "best.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public CheckpointStore(Path dir) {
    this.dir = dir;
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** Whether a resumable checkpoint exists. */
  public boolean hasLast() {
    return Files.isRegularFile(dir.resolve(LAST));
  }

  /** Writes {@value #LAST} atomically. */
  public void saveLast(ClipParameters params, AdamW optimizer, TrainState state)
      throws IOException {
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    params.all().forEach((k, v) -> t.put("model." + k, tensor(v)));
    for (NDArray a : optimizer.state()) {
      try (a) {
        t.put("optim." + a.getName(), tensor(a));
      }
    }
    Safetensors.writeFloats(
        dir.resolve(LAST), t, Map.of("format", "pt", "state", JSON.writeValueAsString(state)));
  }

  /** Writes {@value #BEST} atomically. */
  public void saveBest(ClipParameters params) throws IOException {
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    params.all().forEach((k, v) -> t.put(k, tensor(v)));
    Safetensors.writeFloats(dir.resolve(BEST), t, Map.of("format", "pt"));
  }

  /**
   * Restores parameters and optimizer state from {@value #LAST}.
   *
   * @return the stored run state
   * @throws IOException if the file is missing or does not match the model
   */
  public TrainState loadLast(ClipParameters params, AdamW optimizer, NDManager manager)
      throws IOException {
    Path f = dir.resolve(LAST);
    Map<String, FloatTensor> t = Safetensors.readFloats(f);
    Map<String, float[]> model = new LinkedHashMap<>();
    NDList optim = new NDList();
    try {
      for (Map.Entry<String, FloatTensor> e : t.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("model.")) {
          model.put(k.substring("model.".length()), e.getValue().data());
        } else if (k.startsWith("optim.")) {
          NDArray a = manager.create(e.getValue().data(), new Shape(e.getValue().shape()));
          a.setName(k.substring("optim.".length()));
          optim.add(a);
        }
      }
      try {
        params.load(model);
      } catch (IllegalArgumentException ex) {
        throw new IOException(f + " does not match the model: " + ex.getMessage(), ex);
      }
      optimizer.restore(optim);
    } finally {
      optim.close();
    }
    String state = Safetensors.readHeader(f).metadata().get("state");
    if (state == null) {
      throw new IOException(f + " has no 'state' metadata; not a trainer checkpoint");
    }
    return JSON.readValue(state, TrainState.class);
  }

  /** Parameter values from {@value #BEST} (HF names). */
  public Map<String, float[]> loadBest() throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    Safetensors.readFloats(dir.resolve(BEST)).forEach((k, v) -> out.put(k, v.data()));
    return out;
  }

  static FloatTensor tensor(NDArray a) {
    return new FloatTensor(a.getShape().getShape(), a.toFloatArray());
  }
}
