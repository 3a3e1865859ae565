/**
 * Model bundles: a directory with {@code model.json} ({@link
 * dev.shopsearch.core.bundle.BundleManifest}), the text and image ONNX towers, {@code
 * tokenizer.json} and optional safetensors projections. {@link
 * dev.shopsearch.core.bundle.ModelBundle} loads and writes them (with the content hash); {@link
 * dev.shopsearch.core.bundle.HfClipLayout} describes the Hugging Face CLIP export layout.
 */
package dev.shopsearch.core.bundle;
