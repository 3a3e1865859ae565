package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping over the trainable parameters
 * of a {@link ParameterSet} (e.g. {@link ClipParameters}). Weight decay applies to matrices and
 * kernels only (not to biases, layer norms, embeddings, the class token or the logit scale). State
 * lives in its own manager and survives the per-step {@code NDScope}; it can be saved and restored
 * for {@code --resume}. Not thread-safe.
 */
public final class AdamW implements AutoCloseable {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> m = new HashMap<>();
  private final Map<String, NDArray> v = new HashMap<>();
  private long step;

  public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
  }

  /** Steps taken so far. */
  public long step() {
    return step;
  }

  /** Whether weight decay applies to the parameter {@code name} of shape dimension {@code dims}. */
  static boolean decays(String name, int dims) {
    return dims >= 2 && !name.contains("embedding");
  }

  /**
   * Clips gradients to {@code maxNorm} (global L2 norm, skipped when {@code maxNorm <= 0}) and
   * applies one update at learning rate {@code lr}.
   *
   * @return the global gradient norm before clipping; when it is not finite nothing is updated (the
   *     gradients are cleared)
   */
  public double update(ParameterSet params, double lr, double maxNorm) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return apply(params, lr, maxNorm);
    }
  }

  /** Clears the gradients of the trainable parameters without updating anything. */
  public void skip(ParameterSet params) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (String name : params.trainable()) {
        clear(params.get(name).getGradient());
      }
    }
  }

  private double apply(ParameterSet params, double lr, double maxNorm) {
    double sq = 0;
    for (String name : params.trainable()) {
      sq += params.get(name).getGradient().square().sum().getFloat();
    }
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) {
      skip(params);
      return norm; // a non-finite gradient never reaches the weights or the moments
    }
    double clip = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1.0;
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    for (String name : params.trainable()) {
      NDArray w = params.get(name);
      try (NDManager tmp = manager.newSubManager()) {
        NDArray g = w.getGradient();
        tmp.tempAttachAll(g);
        NDArray gc = clip != 1.0 ? g.mul((float) clip) : g;
        NDArray mi = m.computeIfAbsent(name, k -> persistent(manager.zeros(w.getShape())));
        NDArray vi = v.computeIfAbsent(name, k -> persistent(manager.zeros(w.getShape())));
        mi.muli((float) beta1).addi(gc.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(gc.square().muli((float) (1 - beta2)));
        NDArray upd = mi.div((float) bc1).div(vi.div((float) bc2).sqrt().add((float) eps));
        if (weightDecay > 0 && decays(name, w.getShape().dimension())) {
          upd = upd.add(w.mul((float) weightDecay));
        }
        tmp.tempAttachAll(upd);
        // update the storage through a detached view: autograd forbids in-place ops on leaves
        NDArray data = w.stopGradient();
        tmp.tempAttachAll(data);
        data.subi(upd.muli((float) lr));
        clear(g); // gradients accumulate in PyTorch: clear for the next step
      }
    }
    return norm;
  }

  /** Sets a gradient to zero in place (a multiply alone would leave NaN * 0 = NaN). */
  private static void clear(NDArray g) {
    g.muli(0f); // finite values become 0, Inf and NaN become NaN ...
    g.set(g.isNaN(), 0f); // ... and those are overwritten
  }

  /** Keeps optimizer state alive when created inside a caller's {@code NDScope}. */
  private static NDArray persistent(NDArray a) {
    NDScope.unregister(a);
    return a;
  }

  /** Moment state as named arrays ({@code m.NAME}, {@code v.NAME}) plus the step count. */
  public NDList state() {
    NDList list = new NDList();
    NDArray s = manager.create(new float[] {step});
    s.setName("step");
    list.add(s);
    m.forEach(
        (k, a) -> {
          NDArray c = a.duplicate();
          c.setName("m." + k);
          list.add(c);
        });
    v.forEach(
        (k, a) -> {
          NDArray c = a.duplicate();
          c.setName("v." + k);
          list.add(c);
        });
    return list;
  }

  /** Restores what {@link #state()} returned. */
  public void restore(NDList state) {
    for (NDArray a : state) {
      String n = a.getName();
      if (n.equals("step")) {
        step = (long) a.toFloatArray()[0];
      } else if (n.startsWith("m.") || n.startsWith("v.")) {
        NDArray c = persistent(manager.create(a.toFloatArray(), a.getShape()));
        (n.startsWith("m.") ? m : v).put(n.substring(2), c);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
