/**
 * Text handling for the text tower: {@link dev.shopsearch.core.text.BundleTokenizer} runs a
 * bundle's Hugging Face {@code tokenizer.json} (offline, DJL native tokenizers) and returns
 * right-padded {@link dev.shopsearch.core.text.TokenBatch}es. {@link
 * dev.shopsearch.core.text.ClipBpeTokenizerJson} writes OpenAI CLIP's BPE tokenizer, {@link
 * dev.shopsearch.core.text.ChineseClipTokenizerJson} Chinese-CLIP's BERT WordPiece tokenizer from
 * its {@code vocab.txt}, {@link dev.shopsearch.core.text.SiglipTokenizerJson} a SigLIP-layout
 * SentencePiece Unigram tokenizer from scored pieces and {@link
 * dev.shopsearch.core.text.WordLevelTokenizerJson} a bilingual word-level tokenizer from a corpus.
 */
package dev.shopsearch.core.text;
