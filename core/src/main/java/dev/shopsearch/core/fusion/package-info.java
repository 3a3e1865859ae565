/**
 * Fusion of ranked lists (the image kNN list, the BM25 list and the semantic text-vector list of a
 * hybrid search): {@link dev.shopsearch.core.fusion.FusionSettings} (strategy, RRF constant, one
 * weight per list; stored in the index metadata by {@code indexer calibrate}) and {@link
 * dev.shopsearch.core.fusion.WeightedFusion}, which the service and the calibration both use, so
 * that what is calibrated is what is served.
 */
package dev.shopsearch.core.fusion;
