package dev.shopsearch.core.image;

/**
 * Where an image's EXIF data (a TIFF block: {@code II*\0} or {@code MM\0*}, then IFD0) lies inside
 * the encoded bytes. Found the same way in every format that carries one: the first JPEG APP1
 * {@code Exif} segment, the first PNG {@code eXIf} chunk, the first WebP {@code EXIF} chunk; a
 * leading {@code Exif\0\0} (which some writers put in PNG and WebP too) is skipped in all three, as
 * Pillow does for JPEG and WebP (on such a PNG chunk Pillow's {@code exif_transpose} raises).
 *
 * @param offset index of the TIFF header in the encoded bytes, or -1 when there is none
 * @param length bytes of the TIFF block
 */
record ExifBlock(int offset, int length) {

  /** No EXIF data. */
  static final ExifBlock NONE = new ExifBlock(-1, 0);

  /** The block at {@code b[start, end)}, without a leading {@code Exif\0\0} if it has one. */
  static ExifBlock of(byte[] b, int start, int end) {
    if (end - start >= 6
        && b[start] == 'E'
        && b[start + 1] == 'x'
        && b[start + 2] == 'i'
        && b[start + 3] == 'f'
        && b[start + 4] == 0
        && b[start + 5] == 0) {
      start += 6;
    }
    return new ExifBlock(start, end - start);
  }

  /** The EXIF orientation (1..8) in this block, 1 when there is none or it is malformed. */
  int orientation(byte[] b) {
    return offset < 0 ? 1 : ExifOrientation.read(b, offset, length);
  }
}
