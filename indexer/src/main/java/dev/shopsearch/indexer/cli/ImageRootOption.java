package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --image-root}: where local image references of a catalog are read. */
final class ImageRootOption {
  @Option(
      names = "--image-root",
      paramLabel = "DIR",
      description =
          "Directory that local image references resolve against and stay inside (default: the"
              + " catalog's directory). A leading / then means this directory, as in Magento and"
              + " Maho exports (/m/s/msj000t_1.webp under pub/media/catalog/product).")
  Path imageRoot;

  /**
   * The image source: {@code --image-root} when given, else the directory of {@code catalog}; URLs
   * only when neither is known.
   */
  ImageSource source(Path catalog, FetchOptions options) {
    if (imageRoot != null) {
      try {
        return ImageSource.forImageRoot(imageRoot, options);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--image-root: " + e.getMessage(), e);
      }
    }
    return catalog == null
        ? ImageSource.remoteOnly(options)
        : ImageSource.forCatalog(catalog, options);
  }

  /** Whether local references can be resolved (an image root or a catalog is known). */
  boolean localImages(Path catalog) {
    return imageRoot != null || catalog != null;
  }
}
