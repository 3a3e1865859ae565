package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The training loss of a dual encoder, chosen by {@code --loss}: {@link Kind#INFONCE} (symmetric
 * InfoNCE with the model's own logit scale, {@link ContrastiveLoss}) or {@link Kind#SIGMOID}
 * (SigLIP's pairwise sigmoid loss, {@link SigmoidLoss}) with its own learnable log scale {@value
 * #LOG_SCALE} (init {@code log 10}) and bias {@value #BIAS} (init -10). The sigmoid parameters are
 * trained and checkpointed with the model: {@link #parameters(ParameterSet)} adds them to the
 * model's. They do not change the ranking, so bundles do not hold them. Not thread-safe.
 */
public final class Objective {

  /** Name of the sigmoid loss's log scale {@code t'} in parameter sets and checkpoints. */
  public static final String LOG_SCALE = "sigmoid.logit_scale";

  /** Name of the sigmoid loss's bias {@code b} in parameter sets and checkpoints. */
  public static final String BIAS = "sigmoid.logit_bias";

  /** The loss families. */
  public enum Kind {
    INFONCE,
    SIGMOID;

    /** The command-line spelling ({@code infonce}, {@code sigmoid}). */
    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #option()}.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Kind parse(String value) {
      for (Kind k : values()) {
        if (k.option().equals(value)) {
          return k;
        }
      }
      throw new IllegalArgumentException("loss must be infonce or sigmoid; loss=" + value);
    }
  }

  private final Kind kind;
  private final Map<String, NDArray> own = new LinkedHashMap<>();

  /**
   * @param kind the loss
   * @param manager owns the sigmoid loss's parameters (unused for InfoNCE); they live as long as it
   */
  public Objective(Kind kind, NDManager manager) {
    this.kind = kind;
    if (kind == Kind.SIGMOID) {
      put(LOG_SCALE, manager.create(new float[] {SigmoidLoss.INITIAL_LOG_SCALE}));
      put(BIAS, manager.create(new float[] {SigmoidLoss.INITIAL_BIAS}));
    }
  }

  private void put(String name, NDArray a) {
    a.setName(name);
    a.setRequiresGradient(true);
    own.put(name, a);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The loss of a batch.
   *
   * @param image {@code [B, D]} L2-normalised image embeddings
   * @param text {@code [B, D]} L2-normalised text embeddings
   * @param modelScale the model's logit scale (InfoNCE's; the sigmoid loss has its own)
   * @param groups group per row (same group: not a negative)
   */
  public NDArray loss(NDArray image, NDArray text, NDArray modelScale, int[] groups) {
    return switch (kind) {
      case INFONCE -> ContrastiveLoss.loss(image, text, modelScale, groups);
      case SIGMOID ->
          SigmoidLoss.loss(image, text, own.get(LOG_SCALE).exp(), own.get(BIAS), groups);
    };
  }

  /** The model's parameters plus the loss's own (for the optimizer and the checkpoints). */
  public ParameterSet parameters(ParameterSet model) {
    if (own.isEmpty()) {
      return model;
    }
    for (String name : own.keySet()) {
      if (model.all().containsKey(name)) {
        throw new IllegalArgumentException("the model already has a parameter named " + name);
      }
    }
    return new ParameterSet() {
      @Override
      public Set<String> trainable() {
        Set<String> t = new TreeSet<>(model.trainable());
        t.addAll(own.keySet());
        return t;
      }

      @Override
      public NDArray get(String name) {
        NDArray a = own.get(name);
        return a != null ? a : model.get(name);
      }

      @Override
      public Map<String, NDArray> all() {
        Map<String, NDArray> all = new LinkedHashMap<>(model.all());
        all.putAll(own);
        return all;
      }

      @Override
      public void load(Map<String, float[]> values) {
        Map<String, float[]> rest = new LinkedHashMap<>(values);
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
          float[] v = rest.remove(e.getKey());
          if (v == null || v.length != 1) {
            throw new IllegalArgumentException(
                "parameter "
                    + e.getKey()
                    + ": expected 1 value, got "
                    + (v == null ? "none" : Integer.toString(v.length)));
          }
        }
        model.load(rest);
        own.forEach((name, a) -> a.set(values.get(name)));
      }
    };
  }

  /** The sigmoid loss's current scale {@code t} (NaN for InfoNCE). */
  public double scale() {
    return own.isEmpty() ? Double.NaN : Math.exp(own.get(LOG_SCALE).getFloat());
  }

  /** The sigmoid loss's current bias {@code b} (NaN for InfoNCE). */
  public double bias() {
    return own.isEmpty() ? Double.NaN : own.get(BIAS).getFloat();
  }

  /** {@code infoNceStatus} for InfoNCE; the learned scale and bias for the sigmoid loss. */
  public String status(String infoNceStatus) {
    return own.isEmpty()
        ? infoNceStatus
        : String.format(Locale.ROOT, "sigmoid scale %.3f bias %.3f", scale(), bias());
  }
}
