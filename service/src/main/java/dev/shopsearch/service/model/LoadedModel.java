package dev.shopsearch.service.model;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.encode.ActiveProvider;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import java.util.Objects;

/**
 * A model bundle with its encoders, ready to serve. Closing it closes both encoders.
 *
 * @param manifest the bundle's manifest (name, version, content hash, dim)
 * @param text text tower (thread-safe)
 * @param image image tower (thread-safe)
 */
public record LoadedModel(BundleManifest manifest, TextEncoder text, ImageEncoder image)
    implements AutoCloseable {

  public LoadedModel {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(image, "image");
    if (text.dim() != manifest.dim() || image.dim() != manifest.dim()) {
      throw new IllegalArgumentException(
          "encoder dims must equal manifest dim "
              + manifest.dim()
              + "; text="
              + text.dim()
              + " image="
              + image.dim());
    }
  }

  /** Content hash, or the name and version when the bundle has none. */
  public String hash() {
    String h = manifest.contentHash();
    return h == null || h.isBlank() ? manifest.name() + "@" + manifest.version() : h;
  }

  /** Execution provider reported by the text encoder (prints as {@code cpu}, {@code cuda:0}). */
  public ActiveProvider provider() {
    return text.executionProvider();
  }

  @Override
  public void close() {
    try {
      text.close();
    } finally {
      image.close();
    }
  }
}
