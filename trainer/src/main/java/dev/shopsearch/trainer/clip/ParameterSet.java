package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Set;

/**
 * Named parameters that {@link AdamW} updates and the training loop checkpoints: {@link
 * ClipParameters} (the full CLIP) and the locked-tower projection heads. Not thread-safe.
 */
public interface ParameterSet {

  /** Names of the parameters that receive gradients. */
  Set<String> trainable();

  /** The parameter named {@code name}. */
  NDArray get(String name);

  /** Every parameter (trainable or frozen) by name, in a stable order. */
  Map<String, NDArray> all();

  /**
   * Overwrites every parameter in place from {@code values} (names and sizes as in {@link #all()}).
   *
   * @throws IllegalArgumentException naming the parameter that is missing or has the wrong size
   */
  void load(Map<String, float[]> values);
}
