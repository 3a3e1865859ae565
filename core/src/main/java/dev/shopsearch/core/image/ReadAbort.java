package dev.shopsearch.core.image;

import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;

/**
 * Aborts an ImageIO read once a signal says the result is no longer wanted. ImageIO readers report
 * progress while they decode (the JDK's PNG reader per row, its JPEG reader every 5% of the rows)
 * and check {@link ImageReader#abort()} as often; this listener polls the signal whenever progress
 * advanced by at least {@value #POLL_STEP}% since its last poll, so a cheap signal (a deadline
 * check) is read about a thousand times per image at most. One instance per read; not thread-safe.
 */
final class ReadAbort implements IIOReadProgressListener {
  /** Progress, in percent, between two polls of the signal. */
  static final float POLL_STEP = 0.1f;

  private final BooleanSupplier abandon;
  private float polledAt = -POLL_STEP;
  private float progress;
  private boolean aborted;

  ReadAbort(BooleanSupplier abandon) {
    this.abandon = abandon;
  }

  /**
   * Throws when the signal is set (polled now) or the read was aborted.
   *
   * @throws CancellationException naming what was being decoded and how far it got
   */
  void throwIfAbandoned(ImageFormat format, int width, int height) {
    if (aborted || abandon.getAsBoolean()) {
      throw new CancellationException(
          String.format(
              Locale.ROOT,
              "decoding of a %dx%d %s abandoned at %.0f%%: the result is no longer wanted",
              width,
              height,
              format,
              progress));
    }
  }

  @Override
  public void imageProgress(ImageReader source, float percentageDone) {
    progress = percentageDone;
    if (aborted || Math.abs(percentageDone - polledAt) < POLL_STEP) {
      return;
    }
    polledAt = percentageDone;
    if (abandon.getAsBoolean()) {
      aborted = true;
      source.abort();
    }
  }

  @Override
  public void sequenceStarted(ImageReader source, int minIndex) {}

  @Override
  public void sequenceComplete(ImageReader source) {}

  @Override
  public void imageStarted(ImageReader source, int imageIndex) {}

  @Override
  public void imageComplete(ImageReader source) {}

  @Override
  public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

  @Override
  public void thumbnailProgress(ImageReader source, float percentageDone) {}

  @Override
  public void thumbnailComplete(ImageReader source) {}

  @Override
  public void readAborted(ImageReader source) {
    aborted = true;
  }
}
