package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Named parameters that {@link AdamW} updates: {@link ClipParameters} (the full CLIP) and the
 * locked-tower projection heads. Not thread-safe.
 */
public interface ParameterSet {

  /** Names of the parameters that receive gradients. */
  Set<String> trainable();

  /** The parameter named {@code name}. */
  NDArray get(String name);
}
