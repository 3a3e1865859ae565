package dev.shopsearch.service.image;

import dev.shopsearch.core.image.ImageFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How long the image threads take per pixel to decode and preprocess an image, per format, learned
 * from their own work: an exponentially weighted average over completed images, raised (never
 * lowered) by what an abandoned image proves, namely that it needed more than the time it got. With
 * it the service refuses at once an image it cannot finish within the time left, instead of
 * spending an image thread on it until the deadline.
 *
 * <p>An estimate is ignored once it is older than its probe interval, so that one image then
 * measures the real cost again and a stale or inflated estimate cannot refuse a format for ever.
 * The interval is {@link #PROBE_AFTER} after a completed image and doubles (up to {@link
 * #MAX_PROBE_AFTER}) with every abandoned one, so that a stream of images too large for their
 * deadline costs at most one abandoned decode per interval.
 *
 * <p>An estimate predicts only images up to {@link #MAX_SCALE_UP} times the pixels of the image
 * that last updated it: a small image's time is mostly per-image work (the header, the resize to
 * the model's input, a cold decoder's first call), which divided by few pixels and multiplied by
 * many would refuse a large image for a time it never takes (a 16x16 PNG once predicted 32 s for a
 * 400x400 one). A larger image is tried and teaches the estimate. Thread-safe.
 */
final class DecodeCost {
  /** After this long without an update, an estimate is ignored. */
  static final Duration PROBE_AFTER = Duration.ofSeconds(1);

  /** Longest probe interval, reached after repeated abandoned images. */
  static final Duration MAX_PROBE_AFTER = Duration.ofSeconds(32);

  /** An estimate predicts images of at most this many times its last sample's pixels. */
  static final long MAX_SCALE_UP = 16;

  private static final double ALPHA = 0.3;

  private final LongSupplier nanoClock;
  private final Map<ImageFormat, Estimate> estimates = new EnumMap<>(ImageFormat.class);

  private record Estimate(
      double nanosPerPixel, long samplePixels, long updatedNanos, long probeAfterNanos) {}

  /**
   * @param nanoClock the time source, {@link System#nanoTime} in production
   */
  DecodeCost(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** An image of {@code pixels} pixels was decoded and preprocessed in {@code nanos}. */
  synchronized void completed(ImageFormat format, long pixels, long nanos) {
    double sample = (double) nanos / Math.max(1, pixels);
    Estimate e = estimates.get(format);
    double value = e == null ? sample : e.nanosPerPixel() + ALPHA * (sample - e.nanosPerPixel());
    estimates.put(
        format,
        new Estimate(value, Math.max(1, pixels), nanoClock.getAsLong(), PROBE_AFTER.toNanos()));
  }

  /** An image of {@code pixels} pixels was abandoned after {@code nanos}, unfinished. */
  synchronized void abandoned(ImageFormat format, long pixels, long nanos) {
    double atLeast = (double) nanos / Math.max(1, pixels);
    Estimate e = estimates.get(format);
    double value = e == null ? atLeast : Math.max(e.nanosPerPixel(), atLeast);
    long probeAfter =
        e == null
            ? PROBE_AFTER.toNanos()
            : Math.min(MAX_PROBE_AFTER.toNanos(), 2 * e.probeAfterNanos());
    estimates.put(
        format, new Estimate(value, Math.max(1, pixels), nanoClock.getAsLong(), probeAfter));
  }

  /**
   * The expected time for an image, or 0 when there is no recent estimate for its format or the
   * image has more than {@link #MAX_SCALE_UP} times the pixels of the estimate's last sample (then
   * nothing should be refused on its account).
   */
  synchronized long expectedNanos(ImageFormat format, long pixels) {
    Estimate e = estimates.get(format);
    if (e == null
        || nanoClock.getAsLong() - e.updatedNanos() > e.probeAfterNanos()
        || pixels > MAX_SCALE_UP * e.samplePixels()) {
      return 0;
    }
    return (long) (e.nanosPerPixel() * pixels);
  }
}
