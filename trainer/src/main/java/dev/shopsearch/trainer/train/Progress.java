package dev.shopsearch.trainer.train;

import java.util.Locale;

/** The one-line progress report of a training step. */
public final class Progress {

  private Progress() {}

  /**
   * E.g. {@code epoch 2/10 [#####.....] 35/70 loss 1.2345 lr 4.10e-05 12.3 samples/s ETA 01:23}.
   */
  public static String line(
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
