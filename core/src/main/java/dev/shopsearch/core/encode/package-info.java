/**
 * Encoders: {@link dev.shopsearch.core.encode.TextEncoder} and {@link
 * dev.shopsearch.core.encode.ImageEncoder} (contracts) and their ONNX Runtime implementations,
 * created with {@link dev.shopsearch.core.encode.Encoders}. All encoders return unit-norm {@code
 * float[dim]} vectors, validate their graphs against the bundle manifest when they load, and are
 * thread-safe. Sessions come from {@link dev.shopsearch.core.encode.OnnxSessions}.
 */
package dev.shopsearch.core.encode;
