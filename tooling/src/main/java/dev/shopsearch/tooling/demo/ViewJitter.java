package dev.shopsearch.tooling.demo;

import java.util.random.RandomGenerator;

/**
 * Pose, lighting and backdrop of one product photo; every view of a product draws its own.
 *
 * @param scale silhouette size as a fraction of the image side, in [0.70, 0.88]
 * @param dx horizontal offset of the centre as a fraction of the image side, in [-0.05, 0.05]
 * @param dy vertical offset, in [-0.05, 0.05]
 * @param rotationDegrees tilt, in [-8, 8]
 * @param mirrored whether the silhouette is flipped left-right
 * @param lightAngleDegrees direction the light comes from (0 = from the left)
 * @param lightStrength alpha of the highlight/shadow gradient, in [0.12, 0.32]
 * @param brightness multiplier on the product colour, in [0.90, 1.08]
 * @param backgroundRgb near-white backdrop tint (each channel in [236, 255])
 */
public record ViewJitter(
    double scale,
    double dx,
    double dy,
    double rotationDegrees,
    boolean mirrored,
    double lightAngleDegrees,
    double lightStrength,
    double brightness,
    int backgroundRgb) {

  /** A view with no jitter: centred, upright, neutral light, pure white background. */
  public static ViewJitter neutral() {
    return new ViewJitter(0.8, 0, 0, 0, false, 0, 0, 1, 0xFFFFFF);
  }

  /** Draws a random view from {@code rng}. */
  public static ViewJitter draw(RandomGenerator rng) {
    int base = 244 + rng.nextInt(12);
    int r = Math.min(255, base + rng.nextInt(-6, 7));
    int g = Math.min(255, base + rng.nextInt(-6, 7));
    int b = Math.min(255, base + rng.nextInt(-6, 7));
    return new ViewJitter(
        rng.nextDouble(0.70, 0.88),
        rng.nextDouble(-0.05, 0.05),
        rng.nextDouble(-0.05, 0.05),
        rng.nextDouble(-8, 8),
        rng.nextInt(4) == 0,
        rng.nextDouble(0, 360),
        rng.nextDouble(0.12, 0.32),
        rng.nextDouble(0.90, 1.08),
        (r << 16) | (g << 8) | b);
  }
}
