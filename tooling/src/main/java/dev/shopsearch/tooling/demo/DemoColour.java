package dev.shopsearch.tooling.demo;

import java.awt.Color;
import java.util.Locale;

/**
 * The colours of the synthetic demo catalog, with their English and Chinese words and the base RGB
 * the renderer paints (before shading and jitter).
 */
public enum DemoColour {
  RED("red", "红色", 0xC8222A),
  BLUE("blue", "蓝色", 0x2F6BD8),
  GREEN("green", "绿色", 0x2E9A45),
  BLACK("black", "黑色", 0x1C1C20),
  WHITE("white", "白色", 0xF2F2EE),
  YELLOW("yellow", "黄色", 0xF0C828),
  PINK("pink", "粉色", 0xF08CB4),
  PURPLE("purple", "紫色", 0x7A32A6),
  ORANGE("orange", "橙色", 0xF0821E),
  GREY("grey", "灰色", 0x85858A),
  BROWN("brown", "棕色", 0x7A4B26),
  NAVY("navy", "藏青色", 0x1A2560);

  private final String english;
  private final String chinese;
  private final int rgb;

  DemoColour(String english, String chinese, int rgb) {
    this.english = english;
    this.chinese = chinese;
    this.rgb = rgb;
  }

  /** Lower-case English word, e.g. {@code "red"} (also the catalog's {@code color} value). */
  public String english() {
    return english;
  }

  /** Chinese colour word, e.g. {@code "红色"}. */
  public String chinese() {
    return chinese;
  }

  /** Base colour painted inside the silhouette. */
  public Color rgb() {
    return new Color(rgb);
  }

  /** Perceived brightness of the base colour in [0, 1] (Rec. 601 luma). */
  public double luma() {
    Color c = rgb();
    return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
  }

  /** Parses the English word (case-insensitive), naming the accepted values when it is unknown. */
  public static DemoColour fromEnglish(String word) {
    for (DemoColour c : values()) {
      if (c.english.equals(word.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown demo colour '"
            + word
            + "'; expected one of "
            + java.util.Arrays.toString(values()));
  }
}
