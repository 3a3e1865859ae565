package dev.shopsearch.service.storefront;

import dev.shopsearch.core.fetch.FetchException;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.FetchedImage;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.service.index.IndexProperties;
import dev.shopsearch.service.problem.NotFoundException;
import dev.shopsearch.service.search.ImageUrls;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves catalog images from {@code shopsearch.index.catalog-root} under {@code /images/**},
 * through the core {@link ImageSource}, which confines local references to the root ({@code ..},
 * absolute paths and symbolic links leading outside are refused). Anything refused or missing is a
 * 404, so nothing about the file system leaks; only image extensions are served.
 */
@RestController
class CatalogImageController implements AutoCloseable {
  private static final Map<String, MediaType> TYPES =
      Map.of(
          "jpg", MediaType.IMAGE_JPEG,
          "jpeg", MediaType.IMAGE_JPEG,
          "png", MediaType.IMAGE_PNG,
          "gif", MediaType.IMAGE_GIF,
          "webp", MediaType.parseMediaType("image/webp"),
          "bmp", MediaType.parseMediaType("image/bmp"));

  private final ImageSource source;

  CatalogImageController(IndexProperties index) {
    this.source =
        index.catalogRoot() == null
            ? null
            : new ImageSource(index.catalogRoot(), FetchOptions.defaults());
  }

  @GetMapping(ImageUrls.PREFIX + "**")
  ResponseEntity<byte[]> image(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    String rel =
        URLDecoder.decode(path.substring(ImageUrls.PREFIX.length()), StandardCharsets.UTF_8);
    if (source == null) {
      throw new NotFoundException("image serving is off (no shopsearch.index.catalog-root)");
    }
    MediaType type = type(rel);
    if (type == null || ImageSource.isUrl(rel) || rel.indexOf(':') >= 0) {
      throw new NotFoundException("no such image: " + rel);
    }
    FetchedImage image;
    try {
      image = source.fetch(rel);
    } catch (FetchException e) {
      throw new NotFoundException("no such image: " + rel);
    }
    return ResponseEntity.ok()
        .contentType(type)
        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
        .header("X-Content-Type-Options", "nosniff")
        .body(image.bytes());
  }

  private static MediaType type(String rel) {
    int dot = rel.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public void close() {
    if (source != null) {
      source.close();
    }
  }
}
