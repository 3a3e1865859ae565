package dev.shopsearch.trainer.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A minimal Java2D line chart written as PNG (headless-safe). */
public final class LineChart {

  private static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  private final String title;
  private final String xLabel;
  private final Map<String, double[][]> series = new LinkedHashMap<>();

  public LineChart(String title, String xLabel) {
    this.title = title;
    this.xLabel = xLabel;
  }

  /** Adds a series of (x, y) points; NaN y values are skipped. */
  public LineChart add(String name, List<double[]> points) {
    series.put(name, points.toArray(double[][]::new));
    return this;
  }

  /** Renders to {@code file} ({@code width x height} px). */
  public void write(Path file, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      double minX = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      for (double[][] pts : series.values()) {
        for (double[] p : pts) {
          if (Double.isFinite(p[1])) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
          }
        }
      }
      if (!Double.isFinite(minX)) {
        minX = 0;
        maxX = 1;
        minY = 0;
        maxY = 1;
      }
      if (maxX == minX) {
        maxX = minX + 1;
      }
      if (maxY == minY) {
        maxY = minY + 1;
      }
      double padY = (maxY - minY) * 0.05;
      minY -= padY;
      maxY += padY;
      int left = 60;
      int right = width - 150;
      int top = 30;
      int bottom = height - 40;
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(title, left, 20);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.drawRect(left, top, right - left, bottom - top);
      for (int i = 0; i <= 4; i++) {
        double y = minY + (maxY - minY) * i / 4;
        int py = (int) (bottom - (bottom - top) * i / 4.0);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(left + 1, py, right - 1, py);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.3g", y), 5, py + 4);
      }
      g.drawString(String.format(Locale.ROOT, "%.0f", minX), left, bottom + 15);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxX), right - 10, bottom + 15);
      g.drawString(xLabel, (left + right) / 2 - 15, bottom + 30);
      int k = 0;
      for (Map.Entry<String, double[][]> e : series.entrySet()) {
        Color c = PALETTE[k % PALETTE.length];
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        int prevX = Integer.MIN_VALUE;
        int prevY = 0;
        for (double[] p : e.getValue()) {
          if (!Double.isFinite(p[1])) {
            continue;
          }
          int px = (int) (left + (right - left) * (p[0] - minX) / (maxX - minX));
          int py = (int) (bottom - (bottom - top) * (p[1] - minY) / (maxY - minY));
          g.fillOval(px - 3, py - 3, 6, 6);
          if (prevX != Integer.MIN_VALUE) {
            g.drawLine(prevX, prevY, px, py);
          }
          prevX = px;
          prevY = py;
        }
        g.fillRect(right + 10, top + 10 + 18 * k, 12, 4);
        g.setColor(Color.BLACK);
        g.drawString(e.getKey(), right + 28, top + 16 + 18 * k);
        k++;
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
