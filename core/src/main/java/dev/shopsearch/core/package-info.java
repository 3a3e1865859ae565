/** Contracts shared by the trainer, indexer and service. */
package dev.shopsearch.core;
