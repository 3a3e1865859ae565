package dev.shopsearch.trainer.train;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines of a run: a step line at most every {@code intervalNanos} of training time within
 * an epoch (e.g. {@code epoch 2/10 [#####...............] 35/140 loss 1.2345 lr 4.10e-05 12.3
 * samples/s ETA 01:23 (data 12%)}), closed by one for the epoch's last step when any was printed,
 * and one line per epoch ({@code epoch 2/10: loss 1.1000, lr 4.00e-05, validation ..., 61.2 s
 * (best)}). Time is what the loop measured for each step, so fast epochs print only their epoch
 * line.
 */
public final class ProgressLog implements TrainingListener {

  /**
   * Default minimum training time between step lines: 5 s (an epoch shorter than that prints one
   * line).
   */
  public static final long DEFAULT_INTERVAL_NANOS = 5_000_000_000L;

  private final Consumer<String> log;
  private final long intervalNanos;
  private long epochNanos;
  private long dataNanos;
  private long samples;
  private long lastPrint;
  private boolean printed;
  private int epoch = -1;

  /**
   * @param intervalNanos minimum training time between step lines, at least 0
   */
  public ProgressLog(Consumer<String> log, long intervalNanos) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException(
          "intervalNanos must be >= 0; intervalNanos=" + intervalNanos);
    }
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  /** Step lines at most every {@value #DEFAULT_INTERVAL_NANOS} ns (5 s) of training time. */
  public ProgressLog(Consumer<String> log) {
    this(log, DEFAULT_INTERVAL_NANOS);
  }

  @Override
  public void onTrainingBatch(TrainingRun run, StepStats s) {
    if (s.epoch() != epoch) {
      epoch = s.epoch();
      epochNanos = dataNanos = samples = lastPrint = 0;
      printed = false;
    }
    epochNanos += s.nanos();
    dataNanos += s.dataNanos();
    samples += s.rows();
    boolean last = s.step() == s.steps();
    if (epochNanos - lastPrint >= intervalNanos || (last && printed)) {
      lastPrint = epochNanos;
      printed = true;
      double secs = epochNanos / 1e9;
      double rate = samples / Math.max(secs, 1e-9);
      double eta = (s.steps() - s.step()) * secs / s.step();
      log.accept(
          line(s.epoch(), s.epochs(), s.step(), s.steps(), s.loss(), s.learningRate(), rate, eta)
              + String.format(
                  Locale.ROOT, " (data %.0f%%)", 100.0 * dataNanos / Math.max(1, epochNanos)));
    }
  }

  @Override
  public void onEpoch(TrainingRun run, EpochStats e, boolean improved) {
    String status = run.modelStatus();
    log.accept(
        String.format(
            Locale.ROOT,
            "epoch %d/%d: loss %.4f, lr %.2e, validation %s, %.1f s%s%s",
            e.epoch(),
            run.config().epochs(),
            e.trainLoss(),
            e.lastLr(),
            e.validation(),
            e.seconds(),
            status.isEmpty() ? "" : ", " + status,
            improved ? " (best)" : ""));
  }

  /**
   * E.g. {@code epoch 2/10 [#####.....] 35/70 loss 1.2345 lr 4.10e-05 12.3 samples/s ETA 01:23}.
   */
  static String line(
      int epoch, int epochs, int step, int steps, double loss, double lr, double rate, double eta) {
    int width = 20;
    int done = (int) Math.round(width * step / (double) Math.max(1, steps));
    String bar = "#".repeat(done) + ".".repeat(width - done);
    long e = Math.max(0, Math.round(eta));
    return String.format(
        Locale.ROOT,
        "epoch %d/%d [%s] %d/%d loss %.4f lr %.2e %.1f samples/s ETA %02d:%02d",
        epoch,
        epochs,
        bar,
        step,
        steps,
        loss,
        lr,
        rate,
        e / 60,
        e % 60);
  }
}
