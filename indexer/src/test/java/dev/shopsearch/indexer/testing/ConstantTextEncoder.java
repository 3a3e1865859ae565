package dev.shopsearch.indexer.testing;

import dev.shopsearch.core.encode.ActiveProvider;
import dev.shopsearch.core.encode.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every text encodes to the first axis {@code [1, 0, ..., 0]}; remembers the texts it was given.
 */
public final class ConstantTextEncoder implements TextEncoder {
  private final int dim;
  private final Queue<String> seen = new ConcurrentLinkedQueue<>();

  public ConstantTextEncoder(int dim) {
    this.dim = dim;
  }

  /** The texts encoded so far, in call order. */
  public List<String> texts() {
    return List.copyOf(seen);
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public List<float[]> encode(List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isBlank()) {
        throw new IllegalArgumentException("text " + i + " is null or blank");
      }
    }
    List<float[]> out = new ArrayList<>();
    for (String t : texts) {
      seen.add(t);
      float[] v = new float[dim];
      v[0] = 1;
      out.add(v);
    }
    return out;
  }

  @Override
  public ActiveProvider executionProvider() {
    return ActiveProvider.cpu();
  }

  @Override
  public void close() {}
}
