/**
 * Image decoding and CLIP preprocessing.
 *
 * <p>{@link dev.shopsearch.core.image.ImageDecoder} turns encoded bytes (JPEG incl. CMYK/YCCK and
 * grayscale, PNG, GIF, BMP, WebP through libwebp) into an sRGB {@code TYPE_INT_RGB} image, upright
 * by its EXIF orientation in every format, refusing oversized, truncated or non-image input with an
 * {@link dev.shopsearch.core.image.ImageDecodeException}. {@link
 * dev.shopsearch.core.image.ImagePreprocessor} reproduces Hugging Face's {@code CLIPImageProcessor}
 * (PIL bicubic shortest-side resize, centre crop, mean/std normalisation) in pure Java and writes
 * {@code float[3 * size * size]} CHW tensors. The rules and each difference from Pillow: {@code
 * docs/images.md}.
 */
package dev.shopsearch.core.image;
