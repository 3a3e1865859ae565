package dev.shopsearch.core.fetch;

import dev.shopsearch.core.fetch.FetchException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Reads image files confined to a root directory (package-private). A reference is resolved against
 * the root and normalised; it must stay inside the root both lexically (no {@code ..} escape, no
 * absolute path elsewhere) and after following symlinks ({@link Path#toRealPath}). Immutable and
 * thread-safe.
 *
 * <p>A reference with a leading {@code /} is either a file-system path (which must lie inside the
 * root) or, for an image root such as Magento's {@code media/catalog/product}, a path relative to
 * the root ({@code /m/s/msj000t_1.webp}): {@code slashIsRoot} chooses.
 */
final class LocalImageReader {
  private final Path root;
  private final long maxBytes;
  private final boolean slashIsRoot;

  /**
   * @param root the directory references resolve against and are confined to
   * @param maxBytes largest file read
   * @param slashIsRoot whether a leading {@code /} means the root rather than the file system's
   */
  LocalImageReader(Path root, long maxBytes, boolean slashIsRoot) {
    this.slashIsRoot = slashIsRoot;
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          (slashIsRoot ? "image root " : "catalog root ") + root + " does not exist", e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException(rootName() + " " + root + " is not a directory");
    }
    this.maxBytes = maxBytes;
  }

  Path root() {
    return root;
  }

  FetchedImage read(String reference) throws FetchException {
    Path given;
    try {
      given = Path.of(slashIsRoot ? stripLeadingSlashes(reference) : reference);
    } catch (InvalidPathException e) {
      throw new FetchException(
          Reason.BAD_REFERENCE, reference, "'" + reference + "' is not a valid path: " + e);
    }
    Path candidate = (given.isAbsolute() ? given : root.resolve(given)).normalize();
    if (!candidate.startsWith(root)) {
      throw new FetchException(
          Reason.PATH_ESCAPE,
          reference,
          String.format(
              Locale.ROOT,
              "'%s' resolves to %s, outside the %s %s",
              reference,
              candidate,
              rootName(),
              root));
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      throw new FetchException(Reason.NOT_FOUND, reference, "image file not found: " + candidate);
    } catch (IOException e) {
      throw new FetchException(
          Reason.IO, reference, "cannot resolve " + candidate + ": " + e, -1, e);
    }
    if (!real.startsWith(root)) {
      throw new FetchException(
          Reason.PATH_ESCAPE,
          reference,
          String.format(
              Locale.ROOT,
              "'%s' is a symlink to %s, outside the %s %s",
              reference,
              real,
              rootName(),
              root));
    }
    if (!Files.isRegularFile(real)) {
      throw new FetchException(Reason.NOT_FOUND, reference, "not a regular file: " + real);
    }
    try (InputStream in =
        Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = Files.size(real);
      if (size > maxBytes) {
        throw tooLarge(reference, size);
      }
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw tooLarge(reference, bytes.length);
      }
      return new FetchedImage(reference, real.toString(), null, bytes);
    } catch (FetchException e) {
      throw e;
    } catch (IOException e) {
      throw new FetchException(Reason.IO, reference, "cannot read " + real + ": " + e, -1, e);
    }
  }

  private String rootName() {
    return slashIsRoot ? "image root" : "catalog root";
  }

  private static String stripLeadingSlashes(String reference) {
    int i = 0;
    while (i < reference.length() && reference.charAt(i) == '/') {
      i++;
    }
    return reference.substring(i);
  }

  private FetchException tooLarge(String reference, long size) {
    return new FetchException(
        Reason.TOO_LARGE,
        reference,
        String.format(
            Locale.ROOT,
            "'%s' has %d bytes, more than the limit of %d",
            reference,
            size,
            maxBytes));
  }
}
