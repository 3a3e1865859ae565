package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.fusion.WeightedFusion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Chooses fusion weights for nDCG@k on a calibration half and reports every variant on a held-out
 * half. For each strategy (RRF with the given constant, normalised scores) the weights {@code
 * (vector, lexical) = (i / steps, 1 - i / steps)}, {@code i = 0..steps}, are tried; the best mean
 * nDCG@k on the calibration half wins (on a tie: the weights nearer to equal, then RRF). Both ends
 * of the grid rank like one list alone, so on the calibration half the choice is never worse than
 * the better single list. Stateless apart from its settings.
 *
 * @param k the cut-off of nDCG and recall (10)
 * @param steps grid steps between the two lists (at least 1)
 * @param rrfK the RRF constant of the RRF variants
 */
public record FusionCalibrator(int k, int steps, int rrfK) {
  public FusionCalibrator {
    if (k < 1 || steps < 1) {
      throw new IllegalArgumentException("k and steps must be >= 1; got " + k + ", " + steps);
    }
    new FusionSettings(FusionStrategy.RRF, rrfK, 1, 1); // checks rrfK, naming the limit
  }

  /**
   * Quality of one variant on one half.
   *
   * @param variant {@code lexical}, {@code vector}, {@code equal-rrf}, {@code calibrated-rrf},
   *     {@code calibrated-score}
   * @param settings the fusion settings (null for a single list)
   * @param ndcg mean nDCG@k
   * @param recall mean R@k
   */
  public record Score(String variant, FusionSettings settings, double ndcg, double recall) {}

  /**
   * The outcome.
   *
   * @param chosen the settings to store in the index metadata
   * @param bestRrf the best RRF weights on the calibration half
   * @param bestScore the best score-fusion weights on the calibration half
   * @param calibration every variant on the calibration half
   * @param heldOut every variant on the held-out half
   */
  public record Result(
      FusionSettings chosen,
      FusionSettings bestRrf,
      FusionSettings bestScore,
      List<Score> calibration,
      List<Score> heldOut) {}

  /** Calibrates on {@code calibration} and reports on both halves. */
  public Result calibrate(
      List<ListRetriever.Lists> calibration, List<ListRetriever.Lists> heldOut) {
    if (calibration.isEmpty() || heldOut.isEmpty()) {
      throw new IllegalArgumentException(
          "calibration needs queries on both halves; got "
              + calibration.size()
              + " and "
              + heldOut.size());
    }
    FusionSettings bestRrf = best(FusionStrategy.RRF, calibration);
    FusionSettings bestScore = best(FusionStrategy.SCORE, calibration);
    double rrf = fused(bestRrf, calibration).ndcg();
    double score = fused(bestScore, calibration).ndcg();
    FusionSettings chosen = score > rrf ? bestScore : bestRrf;
    return new Result(
        chosen,
        bestRrf,
        bestScore,
        report(calibration, bestRrf, bestScore),
        report(heldOut, bestRrf, bestScore));
  }

  /**
   * Every variant on some queries (e.g. one kind of query of a half), with the weights of a result.
   */
  public List<Score> report(
      List<ListRetriever.Lists> half, FusionSettings bestRrf, FusionSettings bestScore) {
    FusionSettings equal = new FusionSettings(FusionStrategy.RRF, rrfK, 1, 1);
    return List.of(
        single("lexical", half, ListRetriever.Lists::lexical),
        single("vector", half, ListRetriever.Lists::vector),
        named("equal-rrf", fused(equal, half)),
        named("calibrated-rrf", fused(bestRrf, half)),
        named("calibrated-score", fused(bestScore, half)));
  }

  private FusionSettings best(FusionStrategy strategy, List<ListRetriever.Lists> half) {
    FusionSettings best = null;
    double bestNdcg = -1;
    double bestDistance = Double.MAX_VALUE;
    for (int i = 0; i <= steps; i++) {
      double v = i / (double) steps;
      FusionSettings s = new FusionSettings(strategy, rrfK, v, 1 - v);
      double ndcg = fused(s, half).ndcg();
      double distance = Math.abs(v - 0.5);
      if (ndcg > bestNdcg + 1e-12
          || (Math.abs(ndcg - bestNdcg) <= 1e-12 && distance < bestDistance)) {
        best = s;
        bestNdcg = ndcg;
        bestDistance = distance;
      }
    }
    return best;
  }

  private Score fused(FusionSettings s, List<ListRetriever.Lists> half) {
    return mean(null, s, half, l -> keys(WeightedFusion.fuse(s, l.vector(), l.lexical())));
  }

  private Score single(
      String variant,
      List<ListRetriever.Lists> half,
      Function<ListRetriever.Lists, RankedList> list) {
    return mean(
        variant,
        null,
        half,
        l -> {
          List<Integer> keys = new ArrayList<>();
          for (int key : list.apply(l).keys()) {
            keys.add(key);
          }
          return keys;
        });
  }

  private static Score named(String variant, Score s) {
    return new Score(variant, s.settings(), s.ndcg(), s.recall());
  }

  private Score mean(
      String variant,
      FusionSettings settings,
      List<ListRetriever.Lists> half,
      Function<ListRetriever.Lists, List<Integer>> ranking) {
    double ndcg = 0;
    double recall = 0;
    for (ListRetriever.Lists l : half) {
      List<Integer> r = ranking.apply(l);
      ndcg += RankingMetrics.ndcg(r, l.query().relevant(), k);
      recall += RankingMetrics.recall(r, l.query().relevant(), k);
    }
    return new Score(variant, settings, ndcg / half.size(), recall / half.size());
  }

  private List<Integer> keys(List<WeightedFusion.Fused> fused) {
    List<Integer> out = new ArrayList<>(Math.min(k, fused.size()));
    for (int i = 0; i < Math.min(k, fused.size()); i++) {
      out.add(fused.get(i).key());
    }
    return out;
  }
}
