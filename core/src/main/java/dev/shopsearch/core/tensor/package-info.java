/** Plain-Java tensor file formats (safetensors), shared by the trainer, indexer and service. */
package dev.shopsearch.core.tensor;
