package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.fusion.FusionSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One calibration of a published generation of any backend (reads only; publishing is {@code
 * FusionCommit}).
 */
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
   * @param chosenOn how the calibration half judged the weights: {@code all}, or {@code
   *     semantic-masked-on-names} when the index has the semantic list (see {@link #run})
   * @param calibration every variant on the calibration half, as judged
   * @param heldOut every variant on the held-out half
   * @param heldOutByKind every variant on the held-out half's {@code name} and {@code attributes}
   *     queries apart
   */
  public record Report(
      long generation,
      long seed,
      Counts queries,
      FusionSettings chosen,
      FusionSettings previous,
      String chosenOn,
      List<FusionCalibrator.Score> calibration,
      List<FusionCalibrator.Score> heldOut,
      Map<String, List<FusionCalibrator.Score>> heldOutByKind) {}

  /**
   * Query counts.
   *
   * @param calibration queries on the calibration half
   * @param heldOut queries on the held-out half
   * @param names name queries (both halves)
   * @param attributes attribute-template queries (both halves)
   */
  public record Counts(int calibration, int heldOut, long names, long attributes) {}

  /** A name query's lists without the semantic list; other queries as they are. */
  static ListRetriever.Lists maskedOnNames(ListRetriever.Lists l) {
    return l.query().kind().equals("name")
        ? new ListRetriever.Lists(l.query(), l.vector(), l.lexical())
        : l;
  }

  /**
   * Makes the queries, runs the searches for each and calibrates.
   *
   * <p>With the semantic list, the calibration half's name queries are judged without it (their
   * semantic list is left empty): a name query embeds almost the very text its product's text
   * vector was made from ({@code name. description}), so the semantic list finds the product nearly
   * always and name queries would buy it a weight that real queries do not earn. Masked, a name
   * query still weighs the image list against BM25 but is indifferent to the semantic weight, which
   * only the attribute-template queries decide (made from the colour and category fields, which the
   * product text leaves out). The held-out half is reported as served, every list in every query,
   * and per kind ({@code heldOutByKind}); its name rows flatter the semantic list.
   */
  public static Report run(CalibrationSource source, TextEncoder text, CalibrationConfig config)
      throws IOException {
    CalibrationQueries.Halves halves =
        new CalibrationQueries(
                new SeededSplit(config.seed(), config.heldOutShare()), config.maxQueries())
            .make(source);
    ListRetriever retriever = new ListRetriever(source, text, config.window(), config.batchSize());
    List<ListRetriever.Lists> calibration = retriever.retrieve(halves.calibration());
    List<ListRetriever.Lists> heldOut = retriever.retrieve(halves.heldOut());
    String chosenOn = "all";
    if (retriever.semantic()) {
      calibration = calibration.stream().map(Calibration::maskedOnNames).toList();
      chosenOn = "semantic-masked-on-names";
    }
    FusionCalibrator calibrator = new FusionCalibrator(config.k(), config.steps(), config.rrfK());
    FusionCalibrator.Result r = calibrator.calibrate(calibration, heldOut);
    Map<String, List<FusionCalibrator.Score>> byKind = new TreeMap<>();
    for (String kind : List.of("name", "attributes")) {
      List<ListRetriever.Lists> ofKind =
          heldOut.stream().filter(l -> l.query().kind().equals(kind)).toList();
      if (!ofKind.isEmpty()) {
        byKind.put(kind, calibrator.report(ofKind, r.bestRrf(), r.bestScore(), r.bestTwoList()));
      }
    }
    long names =
        java.util.stream.Stream.concat(halves.calibration().stream(), halves.heldOut().stream())
            .filter(q -> q.kind().equals("name"))
            .count();
    int total = halves.calibration().size() + halves.heldOut().size();
    return new Report(
        source.generation(),
        config.seed(),
        new Counts(halves.calibration().size(), halves.heldOut().size(), names, total - names),
        r.chosen(),
        source.fusion(),
        chosenOn,
        r.calibration(),
        r.heldOut(),
        byKind);
  }
}
