/**
 * The synthetic, offline demo catalog: procedurally drawn product photos ({@link
 * dev.shopsearch.core.demo.ProductImageRenderer}, {@link dev.shopsearch.core.demo.Silhouettes})
 * with bilingual captions, written as {@code catalog.jsonl} + {@code images/} by {@link
 * dev.shopsearch.core.demo.DemoCatalogGenerator}, with a held-out set of colour × pattern ×
 * category combinations for measuring generalisation. {@link
 * dev.shopsearch.core.demo.DemoCaptionCorpus} gives the text for the demo tokenizer.
 */
package dev.shopsearch.core.demo;
