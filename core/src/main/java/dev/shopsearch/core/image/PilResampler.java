package dev.shopsearch.core.image;

import java.util.Locale;

/**
 * Pure-Java port of PIL's {@code ImagingResample} for 8-bit RGB ({@code Image.resize} with BICUBIC
 * or BILINEAR): a separable convolution, horizontal pass first, whose filter support is widened by
 * the scale factor when downscaling (antialiasing); per output pixel the coefficients are
 * normalised to sum 1 and converted to 22-bit fixed point; each pass rounds and clips to 8 bits.
 *
 * <p>Only the requested window of the output is computed (a centre crop costs no more than its
 * pixels); every computed pixel equals the one PIL computes for the full-size output. Stateless and
 * thread-safe.
 */
final class PilResampler {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  /** PIL's resampling filters. */
  enum Filter {
    /** Keys cubic with a = -0.5, support 2. */
    BICUBIC(2.0),
    /** Triangle, support 1. */
    BILINEAR(1.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    double apply(double x) {
      if (x < 0.0) {
        x = -x;
      }
      if (this == BILINEAR) {
        return x < 1.0 ? 1.0 - x : 0.0;
      }
      final double a = -0.5;
      if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
      }
      if (x < 2.0) {
        return (((x - 5) * x + 8) * x - 4) * a;
      }
      return 0.0;
    }
  }

  /**
   * Fixed-point coefficients of one axis for output indices {@code [from, from + count)}.
   *
   * @param first first input index read by each output index
   * @param taps number of input indices read by each output index
   * @param weights {@code count * ksize} coefficients in 22-bit fixed point
   */
  record Axis(int[] first, int[] taps, int[] weights, int ksize) {
    int minInput() {
      int min = Integer.MAX_VALUE;
      for (int f : first) {
        min = Math.min(min, f);
      }
      return min;
    }

    int endInput() {
      int max = 0;
      for (int i = 0; i < first.length; i++) {
        max = Math.max(max, first[i] + taps[i]);
      }
      return max;
    }
  }

  private PilResampler() {}

  /** PIL's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for a window of the output. */
  static Axis axis(int inSize, long outSize, int from, int count, Filter filter) {
    if (inSize < 1 || outSize < 1 || from < 0 || count < 1 || from + (long) count > outSize) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "bad resample window: in=%d out=%d from=%d count=%d",
              inSize,
              outSize,
              from,
              count));
    }
    double scale = (double) inSize / outSize;
    double filterscale = Math.max(scale, 1.0);
    double support = filter.support * filterscale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[count];
    int[] taps = new int[count];
    int[] weights = new int[count * ksize];
    double[] k = new double[ksize];
    double ss = 1.0 / filterscale;
    for (int i = 0; i < count; i++) {
      long xx = from + i;
      double center = (xx + 0.5) * scale;
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        double w = filter.apply((x + xmin - center + 0.5) * ss);
        k[x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        weights[i * ksize + x] =
            v < 0
                ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                : (int) (0.5 + v * (1 << PRECISION_BITS));
      }
      first[i] = xmin;
      taps[i] = Math.max(xmax, 0);
    }
    return new Axis(first, taps, weights, ksize);
  }

  /**
   * Resizes packed RGB pixels ({@code 0xRRGGBB}, row-major {@code srcW * srcH}) to {@code outW x
   * outH} and returns only the window {@code [x0, x0 + cropW) x [y0, y0 + cropH)} of the result,
   * packed the same way.
   */
  static int[] resize(
      int[] src,
      int srcW,
      int srcH,
      long outW,
      long outH,
      int x0,
      int y0,
      int cropW,
      int cropH,
      Filter filter) {
    boolean horizontal = outW != srcW;
    boolean vertical = outH != srcH;
    Axis ax = horizontal ? axis(srcW, outW, x0, cropW, filter) : null;
    Axis ay = vertical ? axis(srcH, outH, y0, cropH, filter) : null;
    int rowLo = vertical ? ay.minInput() : y0;
    int rowHi = vertical ? ay.endInput() : y0 + cropH;
    int rows = rowHi - rowLo;
    int[] tmp = new int[rows * cropW];
    if (horizontal) {
      horizontalPass(src, srcW, rowLo, rows, ax, tmp, cropW);
    } else {
      for (int y = 0; y < rows; y++) {
        System.arraycopy(src, (rowLo + y) * srcW + x0, tmp, y * cropW, cropW);
      }
    }
    if (!vertical) {
      return tmp;
    }
    int[] out = new int[cropW * cropH];
    verticalPass(tmp, cropW, rowLo, ay, out);
    return out;
  }

  private static void horizontalPass(
      int[] src, int srcW, int rowLo, int rows, Axis ax, int[] tmp, int outW) {
    int ksize = ax.ksize();
    int[] first = ax.first();
    int[] taps = ax.taps();
    int[] weights = ax.weights();
    for (int y = 0; y < rows; y++) {
      int rowBase = (rowLo + y) * srcW;
      int outBase = y * outW;
      for (int xx = 0; xx < outW; xx++) {
        int r = HALF;
        int g = HALF;
        int b = HALF;
        int p0 = rowBase + first[xx];
        int k0 = xx * ksize;
        for (int t = 0, n = taps[xx]; t < n; t++) {
          int p = src[p0 + t];
          int k = weights[k0 + t];
          r += (p >> 16 & 0xFF) * k;
          g += (p >> 8 & 0xFF) * k;
          b += (p & 0xFF) * k;
        }
        tmp[outBase + xx] = clip8(r) << 16 | clip8(g) << 8 | clip8(b);
      }
    }
  }

  private static void verticalPass(int[] tmp, int width, int rowLo, Axis ay, int[] out) {
    int ksize = ay.ksize();
    int[] first = ay.first();
    int[] taps = ay.taps();
    int[] weights = ay.weights();
    int[] r = new int[width];
    int[] g = new int[width];
    int[] b = new int[width];
    for (int yy = 0; yy < first.length; yy++) {
      java.util.Arrays.fill(r, HALF);
      java.util.Arrays.fill(g, HALF);
      java.util.Arrays.fill(b, HALF);
      for (int t = 0, n = taps[yy]; t < n; t++) {
        int k = weights[yy * ksize + t];
        int rowBase = (first[yy] - rowLo + t) * width;
        for (int x = 0; x < width; x++) {
          int p = tmp[rowBase + x];
          r[x] += (p >> 16 & 0xFF) * k;
          g[x] += (p >> 8 & 0xFF) * k;
          b[x] += (p & 0xFF) * k;
        }
      }
      int outBase = yy * width;
      for (int x = 0; x < width; x++) {
        out[outBase + x] = clip8(r[x]) << 16 | clip8(g[x]) << 8 | clip8(b[x]);
      }
    }
  }

  private static int clip8(int v) {
    int s = v >> PRECISION_BITS;
    return s < 0 ? 0 : Math.min(s, 255);
  }
}
