package dev.shopsearch.tooling.demo;

import java.awt.Color;
import java.util.random.RandomGenerator;

/**
 * The per-product parameters of a pattern, shared by all views of one product (views differ only in
 * pose and lighting). Lengths are in the silhouette's 100-unit box.
 *
 * @param pattern which pattern
 * @param accent the pattern's colour (stripes, dots, checks, petals): near-white on dark products,
 *     charcoal on light ones, so the product colour keeps dominating
 * @param centre the flower centre colour (floral only)
 * @param period repeat distance of the pattern, in units
 * @param size stripe/band width, dot radius or flower radius, in units
 * @param angleDegrees orientation of stripes and checks
 * @param phase offset of the pattern grid, in units
 */
public record PatternStyle(
    DemoPattern pattern,
    Color accent,
    Color centre,
    double period,
    double size,
    double angleDegrees,
    double phase) {

  private static final double[] STRIPE_ANGLES = {0, 0, 90, 45, -45};

  /** Draws a style for a product of {@code colour} with {@code pattern} from {@code rng}. */
  public static PatternStyle draw(DemoPattern pattern, DemoColour colour, RandomGenerator rng) {
    boolean light = colour.luma() > 0.58;
    Color accent =
        light
            ? (rng.nextBoolean() ? new Color(0x2A2A2E) : new Color(0x3B3B40))
            : (rng.nextBoolean() ? new Color(0xF7F7F2) : new Color(0xEDE8DC));
    Color centre = colour == DemoColour.YELLOW ? new Color(0xE0701A) : new Color(0xF2C230);
    double phase = rng.nextDouble(0, 10);
    return switch (pattern) {
      case SOLID -> new PatternStyle(pattern, accent, centre, 1, 0, 0, 0);
      case STRIPED -> {
        double period = rng.nextDouble(7, 12);
        double angle = STRIPE_ANGLES[rng.nextInt(STRIPE_ANGLES.length)];
        yield new PatternStyle(
            pattern, accent, centre, period, period * rng.nextDouble(0.3, 0.42), angle, phase);
      }
      case POLKA_DOT -> {
        double period = rng.nextDouble(7, 10);
        yield new PatternStyle(
            pattern, accent, centre, period, period * rng.nextDouble(0.16, 0.22), 0, phase);
      }
      case CHECKED -> {
        double period = rng.nextDouble(8, 13);
        double angle = rng.nextInt(4) == 0 ? 45 : 0;
        yield new PatternStyle(pattern, accent, centre, period, period / 2, angle, phase);
      }
      case FLORAL -> {
        double period = rng.nextDouble(13, 17);
        yield new PatternStyle(
            pattern, accent, centre, period, period * rng.nextDouble(0.3, 0.36), 0, phase);
      }
    };
  }
}
