/**
 * {@code indexer calibrate}: learns the hybrid fusion weights of one index from its own catalog.
 * {@link dev.shopsearch.indexer.calibrate.CalibrationQueries} makes judged queries from the indexed
 * products (names, and attribute templates such as {@code "<colour> <category>"}) and splits them
 * into a calibration and a held-out half by a seeded hash; {@link
 * dev.shopsearch.indexer.calibrate.ListRetriever} runs the service's kNN, BM25 and semantic
 * searches on a {@link dev.shopsearch.indexer.calibrate.CalibrationSource} (the embedded generation
 * through core's {@code ProductKnn} and {@code LexicalQuery}, or any backend's {@code
 * ProductIndexView}, e.g. OpenSearch); {@link dev.shopsearch.indexer.calibrate.FusionCalibrator}
 * grid-searches the weights of both fusion strategies (core {@code WeightedFusion}) for nDCG@10 on
 * the calibration half and reports every variant on the held-out half.
 */
package dev.shopsearch.indexer.calibrate;
