/**
 * Writing CLIP models as ONNX: {@link dev.shopsearch.tooling.onnx.ClipConfig} (architecture),
 * {@link dev.shopsearch.tooling.onnx.ClipWeights} (parameters in the Hugging Face {@code CLIPModel}
 * state-dict layout), {@link dev.shopsearch.tooling.onnx.ClipGraphWriter} (text and image towers as
 * standalone ONNX graphs) and {@link dev.shopsearch.tooling.onnx.ClipBundleExporter} (a complete
 * model bundle). Running the graphs is the job of {@code dev.shopsearch.core.encode}.
 */
package dev.shopsearch.tooling.onnx;
