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
 * the better single list. When the queries have a semantic list (the index has product text
 * vectors) the grid is the weight simplex instead, {@code (vector, lexical, semantic) = (i, j,
 * steps - i - j) / steps} ({@code (steps + 1)(steps + 2) / 2} triples per strategy, its corners the
 * single lists, its {@code semantic = 0} edge the two-list grid), and the best two-list settings
 * are reported beside it ({@code calibrated-2list}). Stateless apart from its settings.
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
   * @param variant {@code lexical}, {@code vector}, {@code semantic} (with a semantic list), {@code
   *     equal-rrf}, {@code calibrated-2list} (with a semantic list: the best settings without it),
   *     {@code calibrated-rrf}, {@code calibrated-score}
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
   * @param bestTwoList the best settings without the semantic list (null without one)
   * @param calibration every variant on the calibration half
   * @param heldOut every variant on the held-out half
   */
  public record Result(
      FusionSettings chosen,
      FusionSettings bestRrf,
      FusionSettings bestScore,
      FusionSettings bestTwoList,
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
    boolean semantic = hasSemantic(calibration);
    FusionSettings bestRrf = best(FusionStrategy.RRF, calibration, semantic);
    FusionSettings bestScore = best(FusionStrategy.SCORE, calibration, semantic);
    FusionSettings chosen = better(bestRrf, bestScore, calibration);
    FusionSettings twoList =
        semantic
            ? better(
                best(FusionStrategy.RRF, calibration, false),
                best(FusionStrategy.SCORE, calibration, false),
                calibration)
            : null;
    return new Result(
        chosen,
        bestRrf,
        bestScore,
        twoList,
        report(calibration, bestRrf, bestScore, twoList),
        report(heldOut, bestRrf, bestScore, twoList));
  }

  /** Whether any query has a semantic list. */
  static boolean hasSemantic(List<ListRetriever.Lists> half) {
    return half.stream().anyMatch(l -> l.semantic().size() > 0);
  }

  /** The better of the best RRF and score settings on a half (RRF on a tie). */
  private FusionSettings better(
      FusionSettings rrf, FusionSettings score, List<ListRetriever.Lists> half) {
    return fused(score, half).ndcg() > fused(rrf, half).ndcg() ? score : rrf;
  }

  /**
   * Every variant on some queries (e.g. one kind of query of a half), with the weights of a result.
   */
  public List<Score> report(
      List<ListRetriever.Lists> half, FusionSettings bestRrf, FusionSettings bestScore) {
    return report(half, bestRrf, bestScore, null);
  }

  /**
   * Every variant on some queries, with the weights of a result; {@code twoList} (the best settings
   * without the semantic list, or null) adds {@code semantic} and {@code calibrated-2list}.
   */
  public List<Score> report(
      List<ListRetriever.Lists> half,
      FusionSettings bestRrf,
      FusionSettings bestScore,
      FusionSettings twoList) {
    List<Score> out = new ArrayList<>();
    out.add(single("lexical", half, ListRetriever.Lists::lexical));
    out.add(single("vector", half, ListRetriever.Lists::vector));
    if (twoList != null) {
      out.add(single("semantic", half, ListRetriever.Lists::semantic));
    }
    FusionSettings equal =
        twoList != null
            ? FusionSettings.equalRrf(rrfK)
            : new FusionSettings(FusionStrategy.RRF, rrfK, 1, 1);
    out.add(named("equal-rrf", fused(equal, half)));
    if (twoList != null) {
      out.add(named("calibrated-2list", fused(twoList, half)));
    }
    out.add(named("calibrated-rrf", fused(bestRrf, half)));
    out.add(named("calibrated-score", fused(bestScore, half)));
    return out;
  }

  /**
   * The best weights of one strategy on a half: over the two-list grid, or over the weight simplex
   * when {@code semantic}; on a tie the weights nearest to equal.
   */
  private FusionSettings best(
      FusionStrategy strategy, List<ListRetriever.Lists> half, boolean semantic) {
    FusionSettings best = null;
    double bestNdcg = -1;
    double bestDistance = Double.MAX_VALUE;
    for (int i = 0; i <= steps; i++) {
      for (int j = semantic ? 0 : steps - i; j <= steps - i; j++) {
        double v = i / (double) steps;
        double l = j / (double) steps;
        double m = (steps - i - j) / (double) steps;
        FusionSettings s = new FusionSettings(strategy, rrfK, v, l, m);
        double ndcg = fused(s, half).ndcg();
        double equal = semantic ? 1 / 3.0 : 0.5;
        double distance =
            Math.pow(v - equal, 2)
                + Math.pow(l - equal, 2)
                + (semantic ? Math.pow(m - equal, 2) : 0);
        if (ndcg > bestNdcg + 1e-12
            || (Math.abs(ndcg - bestNdcg) <= 1e-12 && distance < bestDistance)) {
          best = s;
          bestNdcg = ndcg;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private Score fused(FusionSettings s, List<ListRetriever.Lists> half) {
    return mean(
        null, s, half, l -> keys(WeightedFusion.fuse(s, l.vector(), l.lexical(), l.semantic())));
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
