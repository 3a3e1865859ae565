package dev.shopsearch.core.fetch;

import dev.shopsearch.core.fetch.FetchException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves an image reference from a catalog (or a user's image-URL query) to bytes.
 *
 * <ul>
 *   <li>{@code http://} and {@code https://} URLs are fetched under {@link FetchOptions}: timeouts,
 *       retries with backoff, a size cap, an optional host allow-list, redirects followed one at a
 *       time with every hop checked, and no loopback/private/link-local/multicast targets unless
 *       {@link FetchOptions#allowPrivateAddresses()} (SSRF protection, see {@link AddressPolicy}).
 *   <li>Anything else without a scheme is a path relative to the root: the catalog file's directory
 *       ({@link #forCatalog}), or an image root ({@link #forImageRoot}, e.g. Magento's {@code
 *       pub/media/catalog/product}, where {@code /m/s/msj000t_1.webp} means that file under the
 *       root). It must stay inside the root: {@code ../} escapes, absolute paths elsewhere and
 *       symlinks pointing out are refused with {@link Reason#PATH_ESCAPE}. Without a root, local
 *       references are refused.
 *   <li>Other schemes ({@code file:}, {@code ftp:}, {@code data:}...) are refused.
 * </ul>
 *
 * <p>Every failure is a {@link FetchException} with a {@link Reason}. Thread-safe: one instance can
 * serve many threads. Close it to release the HTTP client.
 */
public final class ImageSource implements AutoCloseable {

  private final FetchOptions options;
  private final LocalImageReader local;
  private final HttpImageFetcher http;

  /**
   * @param catalogRoot directory that local references are resolved against and confined to, or
   *     {@code null} for URLs only
   */
  public ImageSource(Path catalogRoot, FetchOptions options) {
    this(catalogRoot, false, options);
  }

  private ImageSource(Path root, boolean slashIsRoot, FetchOptions options) {
    this(
        root == null ? null : new LocalImageReader(root, options.maxBytes(), slashIsRoot),
        options,
        options.allowPrivateAddresses() ? null : AddressPolicy::classify);
  }

  /** For tests: a custom address filter ({@code null} allows every address). */
  ImageSource(Path catalogRoot, FetchOptions options, HttpImageFetcher.AddressFilter filter) {
    this(
        catalogRoot == null ? null : new LocalImageReader(catalogRoot, options.maxBytes(), false),
        options,
        filter);
  }

  private ImageSource(
      LocalImageReader local, FetchOptions options, HttpImageFetcher.AddressFilter filter) {
    this.options = Objects.requireNonNull(options, "options");
    this.local = local;
    this.http = new HttpImageFetcher(options, filter);
  }

  /**
   * A source for a catalog file: local references are relative to its directory (an absolute path
   * must lie inside it).
   */
  public static ImageSource forCatalog(Path catalogFile, FetchOptions options) {
    Path parent = catalogFile.toAbsolutePath().getParent();
    return new ImageSource(parent, options);
  }

  /**
   * A source whose local references are relative to an image root, as shop exports write them:
   * Magento and Maho give {@code /m/s/msj000t_1.webp} relative to {@code
   * pub/media/catalog/product}; a leading {@code /} means the root, and {@code images/a.jpg} is
   * {@code <root>/images/a.jpg}.
   *
   * @throws IllegalArgumentException when the root does not exist or is not a directory
   */
  public static ImageSource forImageRoot(Path imageRoot, FetchOptions options) {
    return new ImageSource(Objects.requireNonNull(imageRoot, "imageRoot"), true, options);
  }

  /** A source for URLs only (e.g. the service's search by image URL). */
  public static ImageSource remoteOnly(FetchOptions options) {
    return new ImageSource(null, options);
  }

  /** The real path of the catalog or image root, if local references are allowed. */
  public Optional<Path> root() {
    return local == null ? Optional.empty() : Optional.of(local.root());
  }

  public FetchOptions options() {
    return options;
  }

  /** Whether {@code reference} is an http(s) URL (as opposed to a catalog path). */
  public static boolean isUrl(String reference) {
    String r = reference.strip().toLowerCase(Locale.ROOT);
    return r.startsWith("http://") || r.startsWith("https://");
  }

  /**
   * Fetches one image's bytes.
   *
   * @throws FetchException naming the reference and the reason
   */
  public FetchedImage fetch(String reference) throws FetchException {
    return fetch(reference, null);
  }

  /**
   * Fetches one image's bytes within a time budget: every attempt, redirect hop and backoff pause
   * of an http(s) fetch fits in what is left of {@code budget} (an attempt waits for the configured
   * timeouts or the time left, whichever is less; a retry whose pause would not fit is not made).
   * Local reads are not bounded by it.
   *
   * @param budget the most the fetch may take, or null for the configured timeouts alone
   * @throws FetchException naming the reference and the reason; {@code TIMEOUT} when the budget
   *     runs out first
   */
  public FetchedImage fetch(String reference, Duration budget) throws FetchException {
    FetchBudget until = FetchBudget.of(budget);
    if (reference == null || reference.isBlank()) {
      throw new FetchException(Reason.BAD_REFERENCE, reference, "image reference is blank");
    }
    String ref = reference.strip();
    if (isUrl(ref)) {
      URI uri;
      try {
        uri = toUri(ref);
      } catch (IllegalArgumentException e) {
        throw new FetchException(
            Reason.BAD_REFERENCE, reference, "'" + ref + "' is not a valid URL: " + e.getMessage());
      }
      return http.fetch(reference, uri, until);
    }
    if (hasScheme(ref)) {
      throw new FetchException(
          Reason.BAD_REFERENCE,
          reference,
          "'" + ref + "' uses an unsupported scheme; only http(s) URLs and catalog paths are read");
    }
    if (local == null) {
      throw new FetchException(
          Reason.PATH_ESCAPE,
          reference,
          "'" + ref + "' is a local path but this source has no catalog root (URLs only)");
    }
    return local.read(ref);
  }

  /** {@code scheme:} followed by {@code //}, or one of the schemes never read as paths. */
  private static boolean hasScheme(String ref) {
    int colon = ref.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    String scheme = ref.substring(0, colon);
    if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return false;
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    return ref.startsWith("//", colon + 1)
        || lower.equals("file")
        || lower.equals("data")
        || lower.equals("jar")
        || lower.equals("ftp");
  }

  /** Parses a URL, percent-encoding spaces that catalogs sometimes leave in. */
  static URI toUri(String url) {
    try {
      return new URI(url.replace(" ", "%20"));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
