package dev.shopsearch.service.storefront;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.search.ImageUrls;
import dev.shopsearch.service.search.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves catalog images from {@code shopsearch.index.catalog-root} under {@code /images/**}. The
 * path is confined to that root: {@code ..}, absolute paths and symbolic links leading outside it
 * are refused (404, so nothing about the file system leaks), as are non-image extensions.
 */
@RestController
class CatalogImageController {
  private static final Map<String, MediaType> TYPES =
      Map.of(
          "jpg", MediaType.IMAGE_JPEG,
          "jpeg", MediaType.IMAGE_JPEG,
          "png", MediaType.IMAGE_PNG,
          "gif", MediaType.IMAGE_GIF,
          "webp", MediaType.parseMediaType("image/webp"),
          "bmp", MediaType.parseMediaType("image/bmp"));

  private final Path root;

  CatalogImageController(ServiceProperties properties) {
    Path configured = properties.index().catalogRoot();
    Path real = null;
    if (configured != null) {
      try {
        real = configured.toRealPath();
      } catch (IOException e) {
        real = null;
      }
    }
    this.root = real;
  }

  @GetMapping(ImageUrls.PREFIX + "**")
  ResponseEntity<Resource> image(HttpServletRequest request) throws IOException {
    String rel = request.getRequestURI().substring(request.getContextPath().length());
    rel =
        java.net.URLDecoder.decode(
            rel.substring(ImageUrls.PREFIX.length()), java.nio.charset.StandardCharsets.UTF_8);
    Path file = resolve(rel);
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return ResponseEntity.ok()
        .contentType(TYPES.get(ext))
        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
        .header("X-Content-Type-Options", "nosniff")
        .body(new FileSystemResource(file));
  }

  /**
   * The real file for a relative path, or a 404 when it is missing, outside the root or no image.
   */
  Path resolve(String rel) throws IOException {
    if (root == null) {
      throw new NotFoundException("image serving is off (no shopsearch.index.catalog-root)");
    }
    String lower = rel.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    if (rel.isEmpty()
        || rel.indexOf('\0') >= 0
        || dot < 0
        || !TYPES.containsKey(lower.substring(dot + 1))) {
      throw new NotFoundException("no such image: " + rel);
    }
    Path candidate;
    try {
      candidate = root.resolve(rel).normalize();
    } catch (InvalidPathException e) {
      throw new NotFoundException("no such image: " + rel);
    }
    if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
      throw new NotFoundException("no such image: " + rel);
    }
    Path real = candidate.toRealPath();
    if (!real.startsWith(root)) {
      throw new NotFoundException("no such image: " + rel);
    }
    return real;
  }
}
