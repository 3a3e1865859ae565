/**
 * The synthetic, offline demo catalog: procedurally drawn product photos ({@link
 * dev.shopsearch.tooling.demo.ProductImageRenderer}, {@link
 * dev.shopsearch.tooling.demo.Silhouettes}) with bilingual captions, written as {@code
 * catalog.jsonl} + {@code images/} by {@link dev.shopsearch.tooling.demo.DemoCatalogGenerator},
 * with a held-out set of colour × pattern × category combinations for measuring generalisation.
 * {@link dev.shopsearch.tooling.demo.DemoCaptionCorpus} gives the text for the demo tokenizer.
 */
package dev.shopsearch.tooling.demo;
