package dev.shopsearch.core.image;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebP file's embedded ICC profile ({@code ICCP} chunk), treated as the decoder treats embedded
 * profiles in every format: the pixels are converted to sRGB. libwebp (like Pillow) leaves them as
 * stored, so this re-labels libwebp's output with the profile's colour space and {@link
 * RgbConverter} converts it. An sRGB profile (the common case) changes nothing: the pixels stay
 * libwebp's, bit for bit.
 */
final class WebpIccProfile {
  private static final Logger LOG = LoggerFactory.getLogger(WebpIccProfile.class);

  private WebpIccProfile() {}

  /**
   * {@code img} (libwebp's packed-int output) carrying the colour space of {@code icc}; {@code img}
   * itself when {@code icc} is null, sRGB, not an RGB profile or unreadable (logged at debug, the
   * image is kept as stored).
   */
  static BufferedImage tag(BufferedImage img, byte[] icc) {
    if (icc == null || !(img.getColorModel() instanceof DirectColorModel dcm)) {
      return img;
    }
    ICC_Profile profile;
    try {
      profile = ColorSpaces.validateProfile(ICC_Profile.getInstance(icc));
    } catch (IllegalArgumentException e) {
      LOG.debug(
          "WebP ICCP chunk of {} bytes is not a usable ICC profile: {}", icc.length, e.toString());
      return img;
    }
    if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB || ColorSpaces.isCS_sRGB(profile)) {
      return img;
    }
    DirectColorModel tagged =
        new DirectColorModel(
            ColorSpaces.createColorSpace(profile),
            dcm.getPixelSize(),
            dcm.getRedMask(),
            dcm.getGreenMask(),
            dcm.getBlueMask(),
            dcm.getAlphaMask(),
            dcm.isAlphaPremultiplied(),
            DataBuffer.TYPE_INT);
    return new BufferedImage(tagged, img.getRaster(), dcm.isAlphaPremultiplied(), null);
  }
}
