package dev.shopsearch.tooling.demo;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Recognisable flat silhouettes for every {@link DemoCategory}, in a 100 × 100 unit box (y down):
 * garments seen from the front, shoes and caps from the side (toe / brim to the right). Shapes are
 * immutable and shared; this class is thread-safe.
 */
public final class Silhouettes {
  private static final Map<DemoCategory, Silhouette> SHAPES = new EnumMap<>(DemoCategory.class);

  static {
    for (DemoCategory c : DemoCategory.values()) {
      SHAPES.put(c, build(c));
    }
  }

  private Silhouettes() {}

  /** The silhouette of {@code category}. */
  public static Silhouette of(DemoCategory category) {
    return SHAPES.get(category);
  }

  private static Silhouette build(DemoCategory category) {
    return switch (category) {
      case T_SHIRT -> tShirt();
      case TOP -> top();
      case DRESS -> dress();
      case SKIRT -> skirt();
      case TROUSERS -> trousers();
      case SHORTS -> shorts();
      case HOODIE -> hoodie();
      case SNEAKERS -> sneakers();
      case BOOTS -> boots();
      case CAP -> cap();
      case HANDBAG -> handbag();
      case BACKPACK -> backpack();
    };
  }

  private static Silhouette tShirt() {
    Path2D p = new Path2D.Double();
    p.moveTo(37, 12);
    p.quadTo(50, 24, 63, 12);
    p.lineTo(80, 17);
    p.lineTo(95, 38);
    p.lineTo(82, 47);
    p.lineTo(74, 37);
    p.lineTo(74, 90);
    p.lineTo(26, 90);
    p.lineTo(26, 37);
    p.lineTo(18, 47);
    p.lineTo(5, 38);
    p.lineTo(20, 17);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new QuadCurve2D.Double(39, 14, 50, 28, 61, 14),
            new Line2D.Double(74, 37, 72, 20),
            new Line2D.Double(26, 37, 28, 20),
            new Line2D.Double(27, 85, 73, 85)));
  }

  private static Silhouette top() {
    Path2D p = new Path2D.Double();
    p.moveTo(33, 8);
    p.lineTo(41, 8);
    p.quadTo(50, 30, 59, 8);
    p.lineTo(67, 8);
    p.quadTo(66, 28, 75, 34);
    p.lineTo(80, 90);
    p.quadTo(50, 95, 20, 90);
    p.lineTo(25, 34);
    p.quadTo(34, 28, 33, 8);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(new QuadCurve2D.Double(41, 8, 50, 30, 59, 8), new Line2D.Double(26, 50, 74, 50)));
  }

  private static Silhouette dress() {
    Path2D p = new Path2D.Double();
    p.moveTo(37, 4);
    p.lineTo(43, 4);
    p.quadTo(50, 18, 57, 4);
    p.lineTo(63, 4);
    p.quadTo(62, 22, 67, 28);
    p.lineTo(60, 44);
    p.lineTo(86, 92);
    p.quadTo(50, 99, 14, 92);
    p.lineTo(40, 44);
    p.lineTo(33, 28);
    p.quadTo(38, 22, 37, 4);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new Line2D.Double(40, 44, 60, 44),
            new Line2D.Double(46, 46, 38, 92),
            new Line2D.Double(54, 46, 62, 92)));
  }

  private static Silhouette skirt() {
    Path2D p = new Path2D.Double();
    p.moveTo(32, 16);
    p.lineTo(68, 16);
    p.lineTo(69, 25);
    p.lineTo(86, 82);
    p.quadTo(50, 90, 14, 82);
    p.lineTo(31, 25);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new Line2D.Double(31, 25, 69, 25),
            new Line2D.Double(42, 26, 34, 86),
            new Line2D.Double(50, 26, 50, 88),
            new Line2D.Double(58, 26, 66, 86)));
  }

  private static Silhouette trousers() {
    Path2D p = new Path2D.Double();
    p.moveTo(30, 6);
    p.lineTo(70, 6);
    p.lineTo(77, 94);
    p.lineTo(55, 94);
    p.lineTo(50, 32);
    p.lineTo(45, 94);
    p.lineTo(23, 94);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new Line2D.Double(30, 12, 70, 12),
            new Line2D.Double(50, 12, 50, 30),
            new Line2D.Double(34, 14, 40, 22),
            new Line2D.Double(66, 14, 60, 22)));
  }

  private static Silhouette shorts() {
    Path2D p = new Path2D.Double();
    p.moveTo(25, 24);
    p.lineTo(75, 24);
    p.lineTo(84, 72);
    p.lineTo(55, 76);
    p.lineTo(50, 46);
    p.lineTo(45, 76);
    p.lineTo(16, 72);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new Line2D.Double(25, 31, 75, 31),
            new Line2D.Double(50, 31, 50, 44),
            new Line2D.Double(19, 66, 44, 69),
            new Line2D.Double(56, 69, 81, 66)));
  }

  private static Silhouette hoodie() {
    Path2D p = new Path2D.Double();
    p.moveTo(37, 18);
    p.quadTo(34, 2, 50, 2);
    p.quadTo(66, 2, 63, 18);
    p.lineTo(79, 21);
    p.lineTo(93, 82);
    p.lineTo(82, 85);
    p.lineTo(74, 44);
    p.lineTo(74, 92);
    p.lineTo(26, 92);
    p.lineTo(26, 44);
    p.lineTo(18, 85);
    p.lineTo(7, 82);
    p.lineTo(21, 21);
    p.closePath();
    Path2D pocket = new Path2D.Double();
    pocket.moveTo(36, 66);
    pocket.lineTo(64, 66);
    pocket.lineTo(68, 84);
    pocket.lineTo(32, 84);
    pocket.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new QuadCurve2D.Double(42, 20, 50, 4, 58, 20),
            new QuadCurve2D.Double(42, 20, 50, 28, 58, 20),
            new Line2D.Double(46, 24, 45, 38),
            new Line2D.Double(54, 24, 55, 38),
            pocket,
            new Line2D.Double(26, 87, 74, 87)));
  }

  private static Silhouette sneakers() {
    Path2D p = new Path2D.Double();
    p.moveTo(12, 74);
    p.lineTo(11, 50);
    p.quadTo(13, 40, 24, 41);
    p.quadTo(34, 50, 44, 43);
    p.lineTo(60, 51);
    p.quadTo(82, 55, 90, 64);
    p.quadTo(95, 72, 90, 74);
    p.closePath();
    Shape sole = new RoundRectangle2D.Double(8, 70, 86, 11, 8, 8);
    return new Silhouette(
        p,
        sole,
        Silhouette.TrimRole.LIGHT_SOLE,
        List.of(
            new Line2D.Double(46, 46, 42, 56),
            new Line2D.Double(52, 49, 48, 58),
            new Line2D.Double(58, 52, 54, 60),
            new QuadCurve2D.Double(22, 64, 48, 52, 76, 62),
            new Line2D.Double(11, 56, 22, 50)));
  }

  private static Silhouette boots() {
    Path2D p = new Path2D.Double();
    p.moveTo(27, 6);
    p.lineTo(55, 6);
    p.lineTo(57, 54);
    p.quadTo(62, 60, 78, 63);
    p.quadTo(92, 67, 91, 80);
    p.lineTo(25, 80);
    p.closePath();
    Area sole = new Area(new RoundRectangle2D.Double(22, 78, 72, 7, 5, 5));
    sole.add(new Area(new Rectangle2D.Double(23, 80, 17, 12)));
    return new Silhouette(
        p,
        sole,
        Silhouette.TrimRole.DARK_SOLE,
        List.of(
            new Line2D.Double(27, 12, 55, 12),
            new Line2D.Double(53, 14, 54, 52),
            new QuadCurve2D.Double(56, 56, 70, 70, 90, 72)));
  }

  private static Silhouette cap() {
    Path2D p = new Path2D.Double();
    p.moveTo(10, 66);
    p.curveTo(10, 18, 76, 14, 78, 60);
    p.lineTo(96, 63);
    p.quadTo(98, 72, 86, 73);
    p.lineTo(14, 72);
    p.quadTo(10, 71, 10, 66);
    p.closePath();
    return new Silhouette(
        p,
        null,
        null,
        List.of(
            new QuadCurve2D.Double(44, 25, 36, 45, 40, 68),
            new QuadCurve2D.Double(44, 25, 62, 40, 66, 66),
            new Ellipse2D.Double(41, 22, 6, 4),
            new Line2D.Double(78, 62, 78, 71),
            new Line2D.Double(12, 66, 78, 66)));
  }

  private static Silhouette handbag() {
    Path2D p = new Path2D.Double();
    p.moveTo(20, 40);
    p.lineTo(80, 40);
    p.lineTo(89, 88);
    p.quadTo(89, 93, 84, 93);
    p.lineTo(16, 93);
    p.quadTo(11, 93, 11, 88);
    p.closePath();
    Shape handle =
        new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
            .createStrokedShape(new Arc2D.Double(30, 12, 40, 56, 0, 180, Arc2D.OPEN));
    return new Silhouette(
        p,
        handle,
        Silhouette.TrimRole.DARK_SHADE,
        List.of(
            new Line2D.Double(19, 54, 81, 54),
            new Rectangle2D.Double(46, 52, 8, 7),
            new Line2D.Double(15, 86, 85, 86)));
  }

  private static Silhouette backpack() {
    Shape body = new RoundRectangle2D.Double(24, 16, 52, 78, 26, 26);
    Area straps = new Area(new RoundRectangle2D.Double(17, 30, 8, 52, 6, 6));
    straps.add(new Area(new RoundRectangle2D.Double(75, 30, 8, 52, 6, 6)));
    straps.add(
        new Area(
            new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                .createStrokedShape(new Arc2D.Double(40, 6, 20, 20, 0, 180, Arc2D.OPEN))));
    return new Silhouette(
        body,
        straps,
        Silhouette.TrimRole.DARK_SHADE,
        List.of(
            new RoundRectangle2D.Double(32, 56, 36, 30, 12, 12),
            new QuadCurve2D.Double(30, 36, 50, 28, 70, 36),
            new Line2D.Double(34, 64, 66, 64)));
  }
}
