package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.clip.ParameterSet;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.TrainingTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The locked-tower family as a {@link TrainingTask} (package-private; {@link LockedTrainer} is the
 * entry point): each epoch shuffles the cached feature rows (or fills batches with look-alike
 * clusters, {@link NeighbourBatches}); a step is a {@link HeadStep}; validation scores the held-out
 * features with their first caption variant. Not thread-safe.
 */
final class LockedTask implements TrainingTask<HeadStep.Batch> {

  private final Features train;
  private final Features heldOut;
  private final LockedHeads heads;
  private final LockedTrainer.Config cfg;
  private final NeighbourBatches hard;
  private final Objective objective;
  private final ParameterSet trained;
  private List<Integer> order;
  private Random rnd;
  private int batchSize;

  LockedTask(Features train, Features heldOut, LockedHeads heads, LockedTrainer.Config cfg) {
    this.train = train;
    this.heldOut = heldOut;
    this.heads = heads;
    this.cfg = cfg;
    this.objective = new Objective(cfg.loss(), heads.get("logit_scale").getManager());
    this.trained = objective.parameters(heads);
    this.hard =
        cfg.hardCluster() == 0 || train.size() < 2
            ? null
            : new NeighbourBatches(
                train.image(), train.groups(), cfg.hardCluster(), cfg.hardShare());
  }

  @Override
  public int examples() {
    return train.size();
  }

  @Override
  public ParameterSet parameters() {
    return trained;
  }

  @Override
  public void beginEpoch(int epoch, int batchSize, Random rnd) {
    if (hard == null) {
      List<Integer> o = new ArrayList<>(train.size());
      for (int i = 0; i < train.size(); i++) {
        o.add(i);
      }
      Collections.shuffle(o, rnd);
      order = o;
    } else {
      order = hard.epoch(batchSize, rnd);
    }
    this.rnd = rnd;
    this.batchSize = batchSize;
  }

  @Override
  public HeadStep.Batch batch(int step) {
    return HeadStep.collate(
        train, order.subList(step * batchSize, (step + 1) * batchSize), rnd, cfg);
  }

  @Override
  public int rows(HeadStep.Batch batch) {
    return batch.n();
  }

  @Override
  public float forwardBackward(HeadStep.Batch batch, NDManager manager) {
    return HeadStep.forwardBackward(batch, heads, objective, manager);
  }

  @Override
  public String describe(int step) {
    return "feature row " + order.get(step * batchSize);
  }

  @Override
  public String status() {
    return objective.status(String.format(Locale.ROOT, "temperature %.4f", heads.temperature()));
  }

  @Override
  public Recall evaluate(NDManager manager) {
    return LockedTrainer.evaluate(heldOut, heads, manager);
  }
}
