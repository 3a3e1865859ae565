package dev.shopsearch.tooling.demo;

import java.awt.AlphaComposite;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;

/**
 * Paints a {@link PatternStyle} over the unit box {@code [-10, 110]²} of a {@link Graphics2D} whose
 * clip is already the product silhouette and whose transform maps silhouette units to pixels. Only
 * the accent (and flower centres) are painted; the base colour must already be filled.
 */
final class PatternPainter {
  private static final double LO = -30;
  private static final double HI = 130;

  private PatternPainter() {}

  static void paint(Graphics2D g, PatternStyle style) {
    switch (style.pattern()) {
      case SOLID -> {}
      case STRIPED -> stripes(g, style);
      case POLKA_DOT -> dots(g, style);
      case CHECKED -> checks(g, style);
      case FLORAL -> flowers(g, style);
    }
  }

  private static void stripes(Graphics2D g, PatternStyle s) {
    AffineTransform saved = g.getTransform();
    g.rotate(Math.toRadians(s.angleDegrees()), 50, 50);
    g.setColor(s.accent());
    for (double y = LO + s.phase(); y < HI; y += s.period()) {
      g.fill(new Rectangle2D.Double(LO, y, HI - LO, s.size()));
    }
    g.setTransform(saved);
  }

  private static void dots(Graphics2D g, PatternStyle s) {
    g.setColor(s.accent());
    double r = s.size();
    int row = 0;
    for (double y = LO + s.phase(); y < HI; y += s.period() * 0.87, row++) {
      double shift = (row % 2) * s.period() / 2;
      for (double x = LO + shift; x < HI; x += s.period()) {
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
      }
    }
  }

  /** Gingham: translucent bands both ways, darker where they cross. */
  private static void checks(Graphics2D g, PatternStyle s) {
    AffineTransform saved = g.getTransform();
    Composite composite = g.getComposite();
    g.rotate(Math.toRadians(s.angleDegrees()), 50, 50);
    g.setColor(s.accent());
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.5f));
    for (double v = LO + s.phase(); v < HI; v += s.period()) {
      g.fill(new Rectangle2D.Double(LO, v, HI - LO, s.size()));
      g.fill(new Rectangle2D.Double(v, LO, s.size(), HI - LO));
    }
    g.setComposite(composite);
    g.setTransform(saved);
  }

  /** Small five-petal flowers on a staggered grid, each turned a little. */
  private static void flowers(Graphics2D g, PatternStyle s) {
    double r = s.size();
    double petal = r * 0.55;
    int row = 0;
    for (double y = LO + s.phase(); y < HI; y += s.period() * 0.87, row++) {
      double shift = (row % 2) * s.period() / 2;
      int col = 0;
      for (double x = LO + shift; x < HI; x += s.period(), col++) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate((row * 7 + col * 13) % 72 * Math.PI / 180);
        g.setColor(s.accent());
        for (int k = 0; k < 5; k++) {
          g.fill(new Ellipse2D.Double(r - 2 * petal, -petal * 0.8, 2 * petal, 1.6 * petal));
          g.rotate(2 * Math.PI / 5);
        }
        g.setColor(s.centre());
        double c = r * 0.35;
        g.fill(new Ellipse2D.Double(-c, -c, 2 * c, 2 * c));
        g.setTransform(saved);
      }
    }
  }
}
