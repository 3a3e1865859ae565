package dev.shopsearch.indexer.calibrate;

/**
 * Settings of one calibration.
 *
 * @param seed seed of the calibration / held-out split
 * @param heldOutShare share of queries held out, in (0, 1)
 * @param maxQueries most queries per half
 * @param window products per retrieved list (the service's first-page window, 100)
 * @param k cut-off of nDCG and recall
 * @param steps weight grid steps
 * @param rrfK RRF constant
 * @param batchSize texts per encoder call
 */
public record CalibrationConfig(
    long seed,
    double heldOutShare,
    int maxQueries,
    int window,
    int k,
    int steps,
    int rrfK,
    int batchSize) {

  public CalibrationConfig {
    new SeededSplit(seed, heldOutShare); // checks the share
    new FusionCalibrator(k, steps, rrfK); // checks k, steps, rrfK
    if (maxQueries < 1 || window < k || batchSize < 1) {
      throw new IllegalArgumentException(
          "max queries and batch size must be >= 1 and window >= k; got "
              + maxQueries
              + ", "
              + batchSize
              + ", window "
              + window
              + " < k "
              + k);
    }
  }
}
