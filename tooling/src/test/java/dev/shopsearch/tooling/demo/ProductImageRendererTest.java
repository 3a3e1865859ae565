package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProductImageRendererTest {
  private static final int SIZE = 96;

  @ParameterizedTest
  @EnumSource(DemoCategory.class)
  void solidProductFillsItsSilhouetteAndLeavesTheCornersWhite(DemoCategory category) {
    SplittableRandom rng = new SplittableRandom(category.ordinal());
    for (DemoColour colour : DemoColour.values()) {
      if (colour == DemoColour.WHITE) {
        continue;
      }
      ProductImageRenderer.RenderedView view =
          ProductImageRenderer.render(
              category,
              colour,
              PatternStyle.draw(DemoPattern.SOLID, colour, rng),
              ViewJitter.draw(rng),
              SIZE);
      BufferedImage image = view.image();
      assertThat(image.getWidth()).isEqualTo(SIZE);
      assertThat(image.getHeight()).isEqualTo(SIZE);
      int[] inside = insideCounts(view);
      assertThat(inside[0])
          .as("%s %s: pixels well inside the silhouette", colour, category)
          .isGreaterThan(SIZE * SIZE / 20);
      assertThat(inside[1] / (double) inside[0])
          .as("%s %s: non-white share inside the silhouette", colour, category)
          .isGreaterThan(0.97);
      for (int[] corner :
          new int[][] {{0, 0}, {SIZE - 1, 0}, {0, SIZE - 1}, {SIZE - 1, SIZE - 1}}) {
        assertThat(Pixels.nearWhite(image.getRGB(corner[0], corner[1])))
            .as("%s %s: corner %d,%d is backdrop", colour, category, corner[0], corner[1])
            .isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DemoPattern.class)
  void patternedProductsStayMostlyNonWhiteInside(DemoPattern pattern) {
    SplittableRandom rng = new SplittableRandom(100 + pattern.ordinal());
    for (DemoCategory category : DemoCategory.values()) {
      DemoColour colour = DemoColour.values()[rng.nextInt(DemoColour.values().length)];
      if (colour == DemoColour.WHITE) {
        colour = DemoColour.NAVY;
      }
      ProductImageRenderer.RenderedView view =
          ProductImageRenderer.render(
              category,
              colour,
              PatternStyle.draw(pattern, colour, rng),
              ViewJitter.draw(rng),
              SIZE);
      int[] inside = insideCounts(view);
      assertThat(inside[1] / (double) inside[0])
          .as("%s %s %s: non-white share inside the silhouette", colour, pattern, category)
          .isGreaterThan(0.5);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DemoColour.class,
      names = {"RED", "BLUE", "GREEN", "YELLOW", "ORANGE", "PURPLE", "PINK"})
  void dominantHueInsideIsTheProductColour(DemoColour colour) {
    Random seeds = new Random(7 + colour.ordinal());
    double expected = Pixels.hue(colour.rgb());
    for (DemoCategory category : DemoCategory.values()) {
      for (DemoPattern pattern : DemoPattern.values()) {
        SplittableRandom rng = new SplittableRandom(seeds.nextLong());
        ProductImageRenderer.RenderedView view =
            ProductImageRenderer.render(
                category,
                colour,
                PatternStyle.draw(pattern, colour, rng),
                ViewJitter.draw(rng),
                SIZE);
        double hue = Pixels.dominantHue(view.image(), i -> true);
        assertThat(Pixels.hueDistance(hue, expected))
            .as("%s %s %s: dominant hue %.0f vs %.0f", colour, pattern, category, hue, expected)
            .isLessThanOrEqualTo(15);
      }
    }
  }

  @Test
  void sameInputsGiveSamePixelsAndJitterChangesThem() {
    PatternStyle style = PatternStyle.draw(DemoPattern.FLORAL, DemoColour.RED, new Random(1));
    ViewJitter a = ViewJitter.draw(new SplittableRandom(5));
    ViewJitter b = ViewJitter.draw(new SplittableRandom(6));
    int[] first = pixels(render(style, a));
    int[] again = pixels(render(style, a));
    int[] other = pixels(render(style, b));
    assertThat(again).isEqualTo(first);
    int differing = 0;
    for (int i = 0; i < first.length; i++) {
      differing += first[i] != other[i] ? 1 : 0;
    }
    assertThat(differing).as("pixels changed by another pose").isGreaterThan(first.length / 10);
  }

  @Test
  void rejectsSizesOutsideTheLimits() {
    PatternStyle style = PatternStyle.draw(DemoPattern.SOLID, DemoColour.RED, new Random(1));
    assertThatThrownBy(
            () ->
                ProductImageRenderer.render(
                    DemoCategory.CAP, DemoColour.RED, style, ViewJitter.neutral(), 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[32, 1024]")
        .hasMessageContaining("size=16");
  }

  private static BufferedImage render(PatternStyle style, ViewJitter view) {
    return ProductImageRenderer.render(DemoCategory.DRESS, DemoColour.RED, style, view, SIZE)
        .image();
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  /**
   * {all, nonWhite} counts of pixels whose 2-pixel neighbourhood lies inside the body and outside
   * the trim.
   */
  private static int[] insideCounts(ProductImageRenderer.RenderedView view) {
    Shape body = view.body();
    Shape trim = view.trim();
    int all = 0;
    int nonWhite = 0;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double cx = x + 0.5;
        double cy = y + 0.5;
        if (body.contains(cx, cy)
            && body.contains(cx - 2, cy)
            && body.contains(cx + 2, cy)
            && body.contains(cx, cy - 2)
            && body.contains(cx, cy + 2)
            && (trim == null || !trim.intersects(cx - 2, cy - 2, 4, 4))) {
          all++;
          nonWhite += Pixels.nearWhite(view.image().getRGB(x, y)) ? 0 : 1;
        }
      }
    }
    return new int[] {all, nonWhite};
  }
}
