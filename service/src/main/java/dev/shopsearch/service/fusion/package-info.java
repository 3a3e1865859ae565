/**
 * Which fusion a hybrid search uses: a request's override ({@code fusion}, {@code vectorWeight},
 * {@code lexicalWeight}, {@code rrfK}) over the settings calibrated into the served index's
 * metadata ({@code indexer calibrate}) over equal-weight RRF with the configured constant. The
 * fusion itself is core's {@link dev.shopsearch.core.fusion.WeightedFusion}.
 */
package dev.shopsearch.service.fusion;
