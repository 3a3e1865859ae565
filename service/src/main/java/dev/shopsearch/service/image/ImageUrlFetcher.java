package dev.shopsearch.service.image;

import dev.shopsearch.core.fetch.FetchException;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Fetches query images by http(s) URL under the core {@link ImageSource} SSRF rules (no private
 * addresses unless configured, allowed hosts, size cap, every redirect re-checked), within what is
 * left of the request's deadline: the whole fetch (connect, response, redirects, a retry) gets the
 * configured {@code url-timeout} or the time left, whichever is less. Runs on the request thread,
 * which only waits; it holds no admission slot. Thread-safe.
 */
@Component
public class ImageUrlFetcher implements AutoCloseable {
  private final ImageSource urls;

  public ImageUrlFetcher(UploadProperties upload) {
    this.urls =
        upload.allowUrlFetch()
            ? ImageSource.remoteOnly(
                new FetchOptions(
                    upload.urlTimeout(),
                    upload.urlTimeout(),
                    1,
                    Duration.ZERO,
                    upload.maxBytes(),
                    3,
                    Set.copyOf(upload.allowedHosts()),
                    upload.allowPrivateAddresses(),
                    "shopsearch-service"))
            : null;
  }

  /**
   * The bytes behind an image URL.
   *
   * @throws InvalidRequestException for a bad, forbidden or missing URL, or when URL fetching is
   *     off
   * @throws ImageTooLargeException over the byte limit
   * @throws UpstreamImageException when the remote server fails or does not answer in time
   * @throws OverloadedException {@code DEADLINE} when no time is left to fetch
   */
  public byte[] fetch(String url, Deadline deadline) {
    if (urls == null) {
      throw new InvalidRequestException(
          "url", "search by image URL is disabled (shopsearch.upload.allow-url-fetch=false)");
    }
    if (url == null || url.isBlank() || !ImageSource.isUrl(url)) {
      throw new InvalidRequestException("url", "url must be an http(s) URL; got '" + url + "'");
    }
    long left = deadline.remainingNanos();
    if (left <= 0) {
      throw new OverloadedException(
          ShedReason.DEADLINE,
          String.format(
              Locale.ROOT,
              "no time left of the %d ms deadline to fetch the image",
              deadline.budgetMillis()));
    }
    try {
      return urls.fetch(url, Duration.ofNanos(left)).bytes();
    } catch (FetchException e) {
      throw switch (e.reason()) {
        case TOO_LARGE -> new ImageTooLargeException(e.getMessage());
        case HTTP_STATUS, TIMEOUT, TOO_MANY_REDIRECTS, IO ->
            new UpstreamImageException(e.getMessage());
        default -> new InvalidRequestException("url", e.getMessage());
      };
    }
  }

  @Override
  public void close() {
    if (urls != null) {
      urls.close();
    }
  }
}
