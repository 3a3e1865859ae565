package dev.shopsearch.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * One frame of an animated WebP: where it sits on the canvas and its image data as a still WebP
 * file. libwebp's still-image decoder refuses animations; Pillow shows an animation's first frame
 * as libwebp's animation decoder composes it: the frame's own pixels (alpha included) at its offset
 * on a fully transparent canvas. {@link #render} does the same.
 *
 * @param x left edge on the canvas
 * @param y top edge on the canvas
 * @param width frame width
 * @param height frame height
 * @param still the frame as a complete still WebP file
 */
record WebpFrame(int x, int y, int width, int height, byte[] still) {

  /**
   * Decodes the frame with {@code spi} and places it on a transparent {@code canvasWidth x
   * canvasHeight} ARGB canvas.
   *
   * @throws ImageDecodeException {@code CORRUPT} when the frame does not fit on the canvas
   * @throws IOException when the reader fails
   */
  BufferedImage render(ImageReaderSpi spi, int canvasWidth, int canvasHeight) throws IOException {
    if ((long) x + width > canvasWidth || (long) y + height > canvasHeight) {
      throw new ImageDecodeException(
          Reason.CORRUPT,
          String.format(
              Locale.ROOT,
              "corrupt WebP: first frame %dx%d at (%d,%d) does not fit the %dx%d canvas",
              width,
              height,
              x,
              y,
              canvasWidth,
              canvasHeight));
    }
    BufferedImage frame;
    ImageReader reader = spi.createReaderInstance();
    try (ImageInputStream in = new ByteArrayImageInputStream(still)) {
      reader.setInput(in, true, true);
      frame = reader.read(0, reader.getDefaultReadParam());
    } finally {
      reader.dispose();
    }
    if (frame.getWidth() != width || frame.getHeight() != height) {
      throw new ImageDecodeException(
          Reason.CORRUPT,
          String.format(
              Locale.ROOT,
              "corrupt WebP: first frame is %dx%d in its ANMF header but %dx%d in its bitstream",
              width,
              height,
              frame.getWidth(),
              frame.getHeight()));
    }
    BufferedImage canvas =
        new BufferedImage(canvasWidth, canvasHeight, BufferedImage.TYPE_INT_ARGB);
    int[] row = new int[width];
    for (int r = 0; r < height; r++) {
      frame.getRGB(0, r, width, 1, row, 0, width);
      canvas.setRGB(x, y + r, width, 1, row, 0, width);
    }
    return canvas;
  }
}
