package dev.shopsearch.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.ParameterSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoints of one run of the {@link TrainingLoop} (both model families), each a single
 * safetensors file replaced atomically (written to a temporary file, then moved), so an interrupted
 * run always leaves the previous checkpoint whole and a checkpoint's parts can never disagree:
 *
 * <ul>
 *   <li>{@value #LAST}: every parameter ({@code model.<name>}), the AdamW moments ({@code
 *       optim.m.*}, {@code optim.v.*}, {@code optim.step}) and the {@link TrainState} as JSON in
 *       the header metadata ({@code state}) — what {@code --resume} continues from;
 *   <li>{@value #BEST}: the parameters with the best validation score under their plain names (for
 *       the CLIP family the Hugging Face names, loadable by {@code import-hf}-style readers), with
 *       the epoch in the metadata ({@code epoch}).
 * </ul>
 *
 * <p>{@link #inMemory()} keeps only the best parameters, in memory (a run without a checkpoint
 * directory: early stopping still restores the best epoch, {@code --resume} is impossible). Not
 * thread-safe.
 */
public final class CheckpointStore {

  /** Latest end-of-epoch checkpoint. */
  public static final String LAST = "last.safetensors";

  /** Best parameters so far. */
  public static final String BEST = "best.safetensors";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;
  private Map<String, float[]> bestInMemory;
  private int bestEpochInMemory = -1;

  /** Checkpoints in {@code dir} (created when the first one is written). */
  public CheckpointStore(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("checkpoint directory must not be null; use inMemory()");
    }
    this.dir = dir;
  }

  private CheckpointStore() {
    this.dir = null;
  }

  /** A store that keeps only the best parameters, in memory. */
  public static CheckpointStore inMemory() {
    return new CheckpointStore();
  }

  /** The directory, or empty for an in-memory store. */
  public Optional<Path> dir() {
    return Optional.ofNullable(dir);
  }

  /** Whether checkpoints outlive the process (and so {@code --resume} is possible). */
  public boolean persistent() {
    return dir != null;
  }

  /** Whether a resumable checkpoint exists. */
  public boolean hasLast() {
    return dir != null && Files.isRegularFile(dir.resolve(LAST));
  }

  /** Writes {@value #LAST} atomically (nothing for an in-memory store). */
  public void saveLast(ParameterSet params, AdamW optimizer, TrainState state) throws IOException {
    if (dir == null) {
      return;
    }
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    params.all().forEach((k, v) -> t.put("model." + k, tensor(v)));
    try (NDList moments = optimizer.state()) {
      for (NDArray a : moments) {
        t.put("optim." + a.getName(), tensor(a));
      }
    }
    Safetensors.writeFloats(
        dir.resolve(LAST), t, Map.of("format", "pt", "state", JSON.writeValueAsString(state)));
  }

  /** Keeps {@code params} as the best, from epoch {@code epoch} (0: the initial parameters). */
  public void saveBest(ParameterSet params, int epoch) throws IOException {
    if (dir == null) {
      Map<String, float[]> copy = new LinkedHashMap<>();
      params.all().forEach((k, v) -> copy.put(k, v.toFloatArray()));
      bestInMemory = copy;
      bestEpochInMemory = epoch;
      return;
    }
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    params.all().forEach((k, v) -> t.put(k, tensor(v)));
    Safetensors.writeFloats(
        dir.resolve(BEST), t, Map.of("format", "pt", "epoch", Integer.toString(epoch)));
  }

  /**
   * Restores parameters and optimizer state from {@value #LAST}.
   *
   * @return the stored run state, or empty when there is no {@value #LAST}
   * @throws IOException if the file is unreadable, is not a trainer checkpoint or does not match
   *     the model, naming the file
   */
  public Optional<TrainState> loadLast(ParameterSet params, AdamW optimizer, NDManager manager)
      throws IOException {
    if (!hasLast()) {
      return Optional.empty();
    }
    Path f = dir.resolve(LAST);
    TrainState state = readState(f);
    Map<String, FloatTensor> t = Safetensors.readFloats(f);
    Map<String, float[]> model = new LinkedHashMap<>();
    try (NDManager m = manager.newSubManager()) {
      NDList optim = new NDList();
      for (Map.Entry<String, FloatTensor> e : t.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("model.")) {
          model.put(k.substring("model.".length()), e.getValue().data());
        } else if (k.startsWith("optim.")) {
          NDArray a = m.create(e.getValue().data(), new Shape(e.getValue().shape()));
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
    }
    if (optimizer.step() != state.step()) {
      throw new IOException(
          String.format(
              java.util.Locale.ROOT,
              "%s: optimizer at step %d but run state at step %d; not a checkpoint of this"
                  + " trainer, start afresh",
              f,
              optimizer.step(),
              state.step()));
    }
    return Optional.of(state);
  }

  /** The run state in {@value #LAST} without loading anything, or empty when there is none. */
  public Optional<TrainState> state() throws IOException {
    return hasLast() ? Optional.of(readState(dir.resolve(LAST))) : Optional.empty();
  }

  /** The epoch of the best parameters (0: the initial ones). */
  public int bestEpoch() throws IOException {
    if (dir == null) {
      requireBest();
      return bestEpochInMemory;
    }
    Path f = dir.resolve(BEST);
    String epoch = Safetensors.readHeader(f).metadata().get("epoch");
    if (epoch == null) {
      throw new IOException(f + " has no 'epoch' metadata; not a trainer checkpoint");
    }
    return Integer.parseInt(epoch);
  }

  /** Parameter values of the best checkpoint, by plain name. */
  public Map<String, float[]> loadBest() throws IOException {
    if (dir == null) {
      requireBest();
      return bestInMemory;
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    Safetensors.readFloats(dir.resolve(BEST)).forEach((k, v) -> out.put(k, v.data()));
    return out;
  }

  private void requireBest() {
    if (bestInMemory == null) {
      throw new IllegalStateException("no best parameters saved yet");
    }
  }

  private static TrainState readState(Path f) throws IOException {
    String state = Safetensors.readHeader(f).metadata().get("state");
    if (state == null) {
      throw new IOException(f + " has no 'state' metadata; not a trainer checkpoint");
    }
    return JSON.readValue(state, TrainState.class);
  }

  static FloatTensor tensor(NDArray a) {
    return new FloatTensor(a.getShape().getShape(), a.toFloatArray());
  }
}
