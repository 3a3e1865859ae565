/**
 * Writing ONNX models at build time. {@link dev.shopsearch.tooling.onnx.OnnxGraphBuilder} is the
 * project's one graph builder: new graphs and edits of existing ones (the trainer's locked towers,
 * test graphs). On it: {@link dev.shopsearch.tooling.onnx.ClipConfig} (architecture), {@link
 * dev.shopsearch.tooling.onnx.ClipWeights} (parameters in the Hugging Face {@code CLIPModel}
 * state-dict layout), {@link dev.shopsearch.tooling.onnx.ClipGraphWriter} (text and image towers as
 * standalone ONNX graphs), {@link dev.shopsearch.tooling.onnx.ClipBundleExporter} (a complete model
 * bundle) and {@link dev.shopsearch.tooling.onnx.BundleQuantizer} / {@link
 * dev.shopsearch.tooling.onnx.OnnxWeightQuantizer} (int8 weights). Running the graphs is the job of
 * {@code dev.shopsearch.core.encode}; the service never loads this package.
 */
package dev.shopsearch.tooling.onnx;
