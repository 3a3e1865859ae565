/**
 * Text handling for the text tower: {@link dev.shopsearch.core.text.BundleTokenizer} runs a
 * bundle's Hugging Face {@code tokenizer.json} (offline, DJL native tokenizers) and returns
 * right-padded {@link dev.shopsearch.core.text.TokenBatch}es.
 */
package dev.shopsearch.core.text;
