package dev.shopsearch.trainer.hf;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;

/**
 * What {@code trainer import-hf} needs from a checkpoint directory, whatever its layout: the
 * weights (in {@link ClipWeights}' Hugging Face names), the tokenizer, the token limit and the
 * image preprocessing.
 */
public interface ImportableCheckpoint {

  /** The weights. */
  ClipWeights weights();

  /** The bundle's {@code tokenizer.json} content, truncating at {@code maxLength} tokens. */
  byte[] tokenizerJson(int maxLength) throws IOException;

  /** The token limit a bundle gets unless told otherwise. */
  int defaultMaxLength();

  /** The image preprocessing. */
  ImageSpec imageSpec() throws IOException;
}
