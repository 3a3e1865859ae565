package dev.shopsearch.core.bundle;

/** How a tower's ONNX output becomes one vector per input. */
public enum Pooling {
  /** The output is already one pooled (and projected) vector per input: {@code [batch, dim]}. */
  NONE,
  /** First token/patch of {@code last_hidden_state [batch, seq, width]}. */
  CLS,
  /** Attention-mask weighted mean over {@code last_hidden_state}. */
  MEAN,
  /** The end-of-text token (CLIP: position of the highest token id, i.e. the last real token). */
  EOT
}
