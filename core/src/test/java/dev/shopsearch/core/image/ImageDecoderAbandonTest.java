package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageDecoder#decode(byte[], BooleanSupplier)} stops decoding once the signal says the
 * result is no longer wanted, from inside the reader's decode loop, not after it.
 */
class ImageDecoderAbandonTest {
  private static final Pattern AT = Pattern.compile("abandoned at (\\d+)%");

  private final ImageDecoder decoder = new ImageDecoder();

  /** A large, well-compressible image: a gradient with some structure. */
  private static BufferedImage gradient(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x ^ y) & 0xFF));
      }
    }
    return img;
  }

  /** Says "abandon" on its {@code n}-th poll and remembers whether a reader was polling. */
  private static final class AbandonOnPoll implements BooleanSupplier {
    final AtomicInteger polls = new AtomicInteger();
    final int n;
    volatile boolean polledInsideReader;

    AbandonOnPoll(int n) {
      this.n = n;
    }

    @Override
    public boolean getAsBoolean() {
      for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
        if (frame.getClassName().endsWith("ImageReader") && frame.getMethodName().equals("read")) {
          polledInsideReader = true;
        }
      }
      return polls.incrementAndGet() >= n;
    }
  }

  private static int abandonedAtPercent(CancellationException e) {
    Matcher m = AT.matcher(e.getMessage());
    assertThat(m.find()).as(e.getMessage()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void aSignalSetBeforehandDecodesNothing() {
    byte[] png = TestImages.encode(gradient(64, 48), "png");
    CancellationException e =
        catchThrowableOfType(CancellationException.class, () -> decoder.decode(png, () -> true));
    assertThat(e.getMessage()).contains("64x48 PNG").contains("abandoned at 0%");
  }

  @Test
  void aPngReadStopsMidwayWhenTheSignalTurns() {
    byte[] png = TestImages.encode(gradient(800, 1200), "png");
    assertThat(decoder.decode(png, () -> false).getHeight()).isEqualTo(1200);
    AbandonOnPoll signal = new AbandonOnPoll(20);
    CancellationException e =
        catchThrowableOfType(CancellationException.class, () -> decoder.decode(png, signal));
    assertThat(signal.polledInsideReader).as("polled from the reader's decode loop").isTrue();
    assertThat(abandonedAtPercent(e)).isLessThan(100);
    assertThat(signal.polls.get()).as("no polling after the abort").isBetween(20, 21);
  }

  @Test
  void aJpegReadStopsMidwayWhenTheSignalTurns() {
    byte[] jpeg = TestImages.encode(gradient(640, 960), "jpeg");
    AbandonOnPoll signal = new AbandonOnPoll(4);
    CancellationException e =
        catchThrowableOfType(CancellationException.class, () -> decoder.decode(jpeg, signal));
    assertThat(signal.polledInsideReader).isTrue();
    assertThat(abandonedAtPercent(e)).isLessThan(100);
  }

  @Test
  void theUsualDecodeIsUnchanged() {
    BufferedImage img = gradient(31, 17);
    BufferedImage decoded = decoder.decode(TestImages.encode(img, "png"));
    assertThat(decoded.getRGB(30, 16)).isEqualTo(img.getRGB(30, 16));
  }
}
