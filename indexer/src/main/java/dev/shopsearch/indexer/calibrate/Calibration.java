package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.OpenIndex;
import java.io.IOException;
import java.util.List;

/** One calibration of an opened generation (reads only; publishing is {@code FusionCommit}). */
public final class Calibration {
  private Calibration() {}

  /**
   * The report printed by {@code indexer calibrate}.
   *
   * @param generation the generation calibrated
   * @param seed the split seed
   * @param queries queries per half and kind
   * @param chosen the settings chosen on the calibration half
   * @param previous the settings the generation had (null: equal RRF by default)
   * @param calibration every variant on the calibration half
   * @param heldOut every variant on the held-out half
   */
  public record Report(
      long generation,
      long seed,
      Counts queries,
      FusionSettings chosen,
      FusionSettings previous,
      List<FusionCalibrator.Score> calibration,
      List<FusionCalibrator.Score> heldOut) {}

  /**
   * Query counts.
   *
   * @param calibration queries on the calibration half
   * @param heldOut queries on the held-out half
   * @param names name queries (both halves)
   * @param attributes attribute-template queries (both halves)
   */
  public record Counts(int calibration, int heldOut, long names, long attributes) {}

  /** Makes the queries, runs both searches for each and calibrates. */
  public static Report run(OpenIndex index, TextEncoder text, CalibrationConfig config)
      throws IOException {
    CalibrationQueries.Halves halves =
        new CalibrationQueries(
                new SeededSplit(config.seed(), config.heldOutShare()), config.maxQueries())
            .make(index.reader());
    ListRetriever retriever =
        new ListRetriever(
            index.reader(), index.metadata(), text, config.window(), config.batchSize());
    List<ListRetriever.Lists> calibration = retriever.retrieve(halves.calibration());
    List<ListRetriever.Lists> heldOut = retriever.retrieve(halves.heldOut());
    FusionCalibrator.Result r =
        new FusionCalibrator(config.k(), config.steps(), config.rrfK())
            .calibrate(calibration, heldOut);
    long names =
        java.util.stream.Stream.concat(halves.calibration().stream(), halves.heldOut().stream())
            .filter(q -> q.kind().equals("name"))
            .count();
    int total = halves.calibration().size() + halves.heldOut().size();
    return new Report(
        index.generation().number(),
        config.seed(),
        new Counts(halves.calibration().size(), halves.heldOut().size(), names, total - names),
        r.chosen(),
        index.metadata().fusion(),
        r.calibration(),
        r.heldOut());
  }
}
