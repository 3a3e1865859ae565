package dev.shopsearch.core.bundle;

import java.util.List;

/**
 * One tower of a bundle: its ONNX file, the graph's input and output names, and how the output
 * becomes the embedding.
 *
 * @param file ONNX file name relative to the bundle directory (e.g. {@code text.onnx})
 * @param inputs graph input names in the order the encoder feeds them; text towers use {@code
 *     input_ids} and optionally {@code attention_mask}, {@code token_type_ids}; image towers use
 *     {@code pixel_values}
 * @param output graph output name read by the encoder (e.g. {@code text_embeds}, {@code
 *     image_embeds}, {@code last_hidden_state})
 * @param pooling how {@code output} becomes one vector per input
 * @param projection optional file (relative to the bundle directory) holding a safetensors tensor
 *     named {@code weight} of shape {@code [width, dim]} applied after pooling; {@code null} when
 *     the graph already projects
 */
public record TowerSpec(
    String file, List<String> inputs, String output, Pooling pooling, String projection) {
  public TowerSpec {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("tower file must be set");
    }
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("tower " + file + ": inputs must not be empty");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("tower " + file + ": output must be set");
    }
    inputs = List.copyOf(inputs);
    pooling = pooling == null ? Pooling.NONE : pooling;
  }
}
