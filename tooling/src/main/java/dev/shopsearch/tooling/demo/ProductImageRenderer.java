package dev.shopsearch.tooling.demo;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws one product photo with Java2D: a near-white studio backdrop with a soft floor shadow, the
 * category's {@link Silhouette} filled with the product colour, its pattern clipped to the
 * silhouette, a directional light gradient, trim, seams and outline, all antialiased. Stateless and
 * thread-safe; the same inputs always give the same pixels.
 */
public final class ProductImageRenderer {
  /** Smallest accepted image side in pixels. */
  public static final int MIN_SIZE = 32;

  /** Largest accepted image side in pixels. */
  public static final int MAX_SIZE = 1024;

  private ProductImageRenderer() {}

  /**
   * One rendered view.
   *
   * @param image {@code size × size} RGB image
   * @param body the patterned body region in pixel coordinates (for tests and masks)
   * @param trim the unpatterned trim drawn over it (sole, handle), in pixel coordinates, or null
   */
  public record RenderedView(BufferedImage image, Shape body, Shape trim) {}

  /**
   * Renders {@code category} in {@code colour} with {@code style}, posed and lit by {@code view}.
   *
   * @throws IllegalArgumentException when {@code size} is outside [{@value #MIN_SIZE}, {@value
   *     #MAX_SIZE}]
   */
  public static RenderedView render(
      DemoCategory category, DemoColour colour, PatternStyle style, ViewJitter view, int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "image size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "]; size=" + size);
    }
    Silhouette silhouette = Silhouettes.of(category);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      AffineTransform pose = pose(view, size);
      backdrop(g, view, size, pose.createTransformedShape(silhouette.body()).getBounds2D());

      Color base = shade(colour.rgb(), view.brightness());
      Color line = darker(base, colour);
      g.setTransform(pose);
      g.setClip(silhouette.body());
      g.setColor(base);
      g.fill(silhouette.body());
      PatternPainter.paint(g, style);
      light(g, view, silhouette.body().getBounds2D());
      g.setClip(null);

      if (silhouette.trim() != null) {
        g.setColor(trimColour(silhouette.trimRole(), colour, base));
        g.fill(silhouette.trim());
        g.setColor(line);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(silhouette.trim());
      }
      g.setColor(line);
      g.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      for (Shape detail : silhouette.details()) {
        g.draw(detail);
      }
      g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(silhouette.body());
      return new RenderedView(
          image,
          pose.createTransformedShape(silhouette.body()),
          silhouette.trim() == null ? null : pose.createTransformedShape(silhouette.trim()));
    } finally {
      g.dispose();
    }
  }

  /** Maps the 100-unit silhouette box to pixels: scale, mirror, tilt about the centre, offset. */
  private static AffineTransform pose(ViewJitter view, int size) {
    AffineTransform at = new AffineTransform();
    at.translate(size * (0.5 + view.dx()), size * (0.5 + view.dy()));
    at.rotate(Math.toRadians(view.rotationDegrees()));
    double s = view.scale() * size / 100.0;
    at.scale(view.mirrored() ? -s : s, s);
    at.translate(-50, -50);
    return at;
  }

  private static void backdrop(Graphics2D g, ViewJitter view, int size, Rectangle2D product) {
    Color bg = new Color(view.backgroundRgb());
    g.setPaint(new GradientPaint(0, 0, bg, 0, size, shade(bg, 0.97)));
    g.fillRect(0, 0, size, size);
    Composite composite = g.getComposite();
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.10f));
    g.setColor(Color.BLACK);
    double w = product.getWidth() * 0.9;
    g.fill(
        new Ellipse2D.Double(
            product.getCenterX() - w / 2, product.getMaxY() - w * 0.06, w, w * 0.1));
    g.setComposite(composite);
  }

  /** Highlight on the lit side, shadow on the far side, across the silhouette's bounds. */
  private static void light(Graphics2D g, ViewJitter view, Rectangle2D box) {
    double a = Math.toRadians(view.lightAngleDegrees());
    double half = Math.max(box.getWidth(), box.getHeight()) / 2;
    double cx = box.getCenterX();
    double cy = box.getCenterY();
    float x1 = (float) (cx - Math.cos(a) * half);
    float y1 = (float) (cy - Math.sin(a) * half);
    float x2 = (float) (cx + Math.cos(a) * half);
    float y2 = (float) (cy + Math.sin(a) * half);
    int alpha = (int) Math.round(255 * view.lightStrength());
    g.setPaint(
        new GradientPaint(
            x1,
            y1,
            new Color(255, 255, 255, alpha),
            (x1 + x2) / 2,
            (y1 + y2) / 2,
            new Color(255, 255, 255, 0)));
    g.fill(box);
    g.setPaint(
        new GradientPaint(
            (x1 + x2) / 2,
            (y1 + y2) / 2,
            new Color(0, 0, 0, 0),
            x2,
            y2,
            new Color(0, 0, 0, alpha)));
    g.fill(box);
  }

  private static Color trimColour(Silhouette.TrimRole role, DemoColour colour, Color base) {
    return switch (role) {
      case LIGHT_SOLE -> colour.luma() > 0.7 ? new Color(0x3A3A3E) : new Color(0xF4F4F0);
      case DARK_SOLE -> colour.luma() < 0.2 ? new Color(0x6A6A70) : new Color(0x2B2420);
      case DARK_SHADE -> colour == DemoColour.BLACK ? new Color(0x3A3A3E) : shade(base, 0.7);
    };
  }

  private static Color darker(Color base, DemoColour colour) {
    return colour.luma() < 0.2 ? new Color(0x55555A) : shade(base, 0.6);
  }

  static Color shade(Color c, double factor) {
    return new Color(
        clamp(c.getRed() * factor), clamp(c.getGreen() * factor), clamp(c.getBlue() * factor));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
