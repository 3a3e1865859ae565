/**
 * Encoders: {@link dev.shopsearch.core.encode.TextEncoder} and {@link
 * dev.shopsearch.core.encode.ImageEncoder} (contracts) and their ONNX Runtime implementations,
 * created with {@link dev.shopsearch.core.encode.Encoders}. All encoders return unit-norm {@code
 * float[dim]} vectors, validate their graphs against the bundle manifest when they load, and are
 * thread-safe. Sessions come from {@link dev.shopsearch.core.encode.OnnxSessions}, on the {@link
 * dev.shopsearch.core.encode.ExecutionProvider} asked for; encoders report the {@link
 * dev.shopsearch.core.encode.ActiveProvider} they really run on.
 *
 * <p>Tests: every implementation (test fakes included) runs the contract test cases in core's
 * test-jar ({@code dev.shopsearch.core.testing.BaseTextEncoderTestCase}, {@code
 * BaseImageEncoderTestCase}). The ONNX encoders' tests that need hand-built graphs live in the
 * tooling module (same package), which owns the graph builder.
 */
package dev.shopsearch.core.encode;
