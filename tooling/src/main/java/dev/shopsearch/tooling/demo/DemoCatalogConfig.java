package dev.shopsearch.tooling.demo;

/**
 * What {@link DemoCatalogGenerator} makes.
 *
 * @param products number of products, in [1, {@value #MAX_PRODUCTS}]
 * @param seed random seed; the same configuration always gives the same files, byte for byte
 * @param imageSize image side in pixels, in [{@value ProductImageRenderer#MIN_SIZE}, {@value
 *     ProductImageRenderer#MAX_SIZE}]
 * @param maxViews each product gets 1 to {@code maxViews} images, {@code maxViews} in [1, {@value
 *     #MAX_VIEWS}]
 * @param format image file format
 * @param heldOutFraction share of the colour × pattern × category combinations held out of the
 *     training split, in [0, {@value #MAX_HELD_OUT_FRACTION}]
 * @param threads rendering threads, in [1, {@value #MAX_THREADS}] (output does not depend on it)
 */
public record DemoCatalogConfig(
    int products,
    long seed,
    int imageSize,
    int maxViews,
    ImageFormat format,
    double heldOutFraction,
    int threads) {

  public static final int MAX_PRODUCTS = 1_000_000;
  public static final int MAX_VIEWS = 5;
  public static final double MAX_HELD_OUT_FRACTION = 0.5;
  public static final int MAX_THREADS = 64;

  /** Default image side: 128 px. */
  public static final int DEFAULT_IMAGE_SIZE = 128;

  /** Default views per product: 1 to 3. */
  public static final int DEFAULT_MAX_VIEWS = 3;

  /** Default held-out share of the combinations: 10 %. */
  public static final double DEFAULT_HELD_OUT_FRACTION = 0.1;

  /** Image file formats. */
  public enum ImageFormat {
    /** Lossless, larger (about 4× the JPEG size at 128 px). */
    PNG("png", "png"),
    /** Quality 0.9. */
    JPEG("jpeg", "jpg");

    private final String imageIoName;
    private final String extension;

    ImageFormat(String imageIoName, String extension) {
      this.imageIoName = imageIoName;
      this.extension = extension;
    }

    /** The ImageIO format name. */
    public String imageIoName() {
      return imageIoName;
    }

    /** File extension without the dot. */
    public String extension() {
      return extension;
    }
  }

  public DemoCatalogConfig {
    if (products < 1 || products > MAX_PRODUCTS) {
      throw new IllegalArgumentException(
          "products must be in [1, " + MAX_PRODUCTS + "]; products=" + products);
    }
    if (imageSize < ProductImageRenderer.MIN_SIZE || imageSize > ProductImageRenderer.MAX_SIZE) {
      throw new IllegalArgumentException(
          "imageSize must be in ["
              + ProductImageRenderer.MIN_SIZE
              + ", "
              + ProductImageRenderer.MAX_SIZE
              + "]; imageSize="
              + imageSize);
    }
    if (maxViews < 1 || maxViews > MAX_VIEWS) {
      throw new IllegalArgumentException(
          "maxViews must be in [1, " + MAX_VIEWS + "]; maxViews=" + maxViews);
    }
    if (format == null) {
      throw new IllegalArgumentException("format must not be null; use PNG or JPEG");
    }
    if (!(heldOutFraction >= 0 && heldOutFraction <= MAX_HELD_OUT_FRACTION)) {
      throw new IllegalArgumentException(
          "heldOutFraction must be in [0, "
              + MAX_HELD_OUT_FRACTION
              + "]; heldOutFraction="
              + heldOutFraction);
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be in [1, " + MAX_THREADS + "]; threads=" + threads);
    }
  }

  /**
   * Defaults for everything but the size and seed: 128 px JPEG, 1–3 views, 10 % held out, up to 2
   * threads (as many as there are processors).
   */
  public static DemoCatalogConfig of(int products, long seed) {
    return new DemoCatalogConfig(
        products,
        seed,
        DEFAULT_IMAGE_SIZE,
        DEFAULT_MAX_VIEWS,
        ImageFormat.JPEG,
        DEFAULT_HELD_OUT_FRACTION,
        Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  public DemoCatalogConfig withImageSize(int size) {
    return new DemoCatalogConfig(products, seed, size, maxViews, format, heldOutFraction, threads);
  }

  public DemoCatalogConfig withMaxViews(int views) {
    return new DemoCatalogConfig(
        products, seed, imageSize, views, format, heldOutFraction, threads);
  }

  public DemoCatalogConfig withFormat(ImageFormat imageFormat) {
    return new DemoCatalogConfig(
        products, seed, imageSize, maxViews, imageFormat, heldOutFraction, threads);
  }

  public DemoCatalogConfig withHeldOutFraction(double fraction) {
    return new DemoCatalogConfig(products, seed, imageSize, maxViews, format, fraction, threads);
  }

  public DemoCatalogConfig withThreads(int count) {
    return new DemoCatalogConfig(
        products, seed, imageSize, maxViews, format, heldOutFraction, count);
  }
}
