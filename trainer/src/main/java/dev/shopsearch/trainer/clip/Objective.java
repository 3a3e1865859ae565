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
 * model's. They do not change the ranking, so bundles do not hold them. A model that has its own
 * sigmoid parameters (a SigLIP: {@code logit_scale} and {@code logit_bias}, {@link #forModel}) is
 * trained through those instead: the loss starts from the checkpoint's scale and bias and the
 * learned values are written back with the weights. Not thread-safe.
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

  /** The model parameter a SigLIP's sigmoid loss uses as its log scale. */
  public static final String MODEL_LOG_SCALE = "logit_scale";

  /** The model parameter a SigLIP's sigmoid loss uses as its bias. */
  public static final String MODEL_BIAS = "logit_bias";

  private final Kind kind;
  private final Map<String, NDArray> own = new LinkedHashMap<>();
  private NDArray logScale;
  private NDArray bias;

  /**
   * @param kind the loss
   * @param manager owns the sigmoid loss's parameters (unused for InfoNCE); they live as long as it
   */
  public Objective(Kind kind, NDManager manager) {
    this.kind = kind;
    if (kind == Kind.SIGMOID) {
      put(LOG_SCALE, manager.create(new float[] {SigmoidLoss.INITIAL_LOG_SCALE}));
      put(BIAS, manager.create(new float[] {SigmoidLoss.INITIAL_BIAS}));
      logScale = own.get(LOG_SCALE);
      bias = own.get(BIAS);
    }
  }

  /**
   * The objective for {@code model}: for {@link Kind#SIGMOID} on a model that has {@value
   * #MODEL_BIAS} (SigLIP), the loss's scale and bias are the model's {@value #MODEL_LOG_SCALE} and
   * {@value #MODEL_BIAS} (initialised from the checkpoint, trained and exported with it); otherwise
   * as {@link #Objective(Kind, NDManager)} with {@code manager} owning the loss's own parameters.
   */
  public static Objective forModel(Kind kind, ParameterSet model, NDManager manager) {
    if (kind == Kind.SIGMOID && model.all().containsKey(MODEL_BIAS)) {
      return new Objective(model.get(MODEL_LOG_SCALE), model.get(MODEL_BIAS));
    }
    return new Objective(kind, manager);
  }

  private Objective(NDArray logScale, NDArray bias) {
    this.kind = Kind.SIGMOID;
    this.logScale = logScale;
    this.bias = bias;
  }

  /**
   * Whether the loss's scale and bias are the model's own parameters (then the model's logit scale
   * is the sigmoid loss's and must not be clamped at InfoNCE's bound).
   */
  public boolean usesModelScale() {
    return kind == Kind.SIGMOID && own.isEmpty();
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
      case SIGMOID -> SigmoidLoss.loss(image, text, logScale.exp(), bias, groups);
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
    return kind == Kind.INFONCE ? Double.NaN : Math.exp(logScale.getFloat());
  }

  /** The sigmoid loss's current bias {@code b} (NaN for InfoNCE). */
  public double bias() {
    return kind == Kind.INFONCE ? Double.NaN : bias.getFloat();
  }

  /** {@code infoNceStatus} for InfoNCE; the learned scale and bias for the sigmoid loss. */
  public String status(String infoNceStatus) {
    return kind == Kind.INFONCE
        ? infoNceStatus
        : String.format(Locale.ROOT, "sigmoid scale %.3f bias %.3f", scale(), bias());
  }
}
