package dev.shopsearch.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.fetch.FetchException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local references must stay inside the catalog root. */
class ImageSourceLocalTest {

  @TempDir Path tmp;
  private Path root;
  private Path outside;

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectories(tmp.resolve("catalog"));
    Files.createDirectories(root.resolve("images/a"));
    Files.write(root.resolve("images/a/1.jpg"), new byte[] {1, 2, 3});
    outside = Files.createDirectories(tmp.resolve("secret"));
    Files.writeString(outside.resolve("passwd"), "root:x:0:0");
  }

  private static void assertReason(ThrowingCallable call, Reason reason, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              for (String fragment : fragments) {
                assertThat(e.getMessage()).contains(fragment);
              }
            });
  }

  @Test
  void readsFilesInsideTheRoot() throws IOException {
    try (ImageSource source = new ImageSource(root, FetchOptions.defaults())) {
      FetchedImage image = source.fetch("images/a/1.jpg");
      assertThat(image.bytes()).containsExactly(1, 2, 3);
      assertThat(image.location())
          .isEqualTo(root.toRealPath().resolve("images/a/1.jpg").toString());
      assertThat(source.fetch("images/a/../a/./1.jpg").bytes()).containsExactly(1, 2, 3);
      assertThat(source.fetch(root.resolve("images/a/1.jpg").toString()).size()).isEqualTo(3);
      assertReason(() -> source.fetch("images/a/2.jpg"), Reason.NOT_FOUND, "2.jpg");
      assertReason(() -> source.fetch("images/a"), Reason.NOT_FOUND, "not a regular file");
    }
  }

  @Test
  void refusesTraversalAbsolutePathsAndOtherSchemes() {
    try (ImageSource source = new ImageSource(root, FetchOptions.defaults())) {
      assertReason(
          () -> source.fetch("../../etc/passwd"), Reason.PATH_ESCAPE, "outside the catalog root");
      assertReason(() -> source.fetch("../secret/passwd"), Reason.PATH_ESCAPE, "../secret/passwd");
      assertReason(() -> source.fetch("images/../../secret/passwd"), Reason.PATH_ESCAPE);
      assertReason(() -> source.fetch("/etc/passwd"), Reason.PATH_ESCAPE, "/etc/passwd");
      assertReason(
          () -> source.fetch(outside.resolve("passwd").toString()), Reason.PATH_ESCAPE, "passwd");
      assertReason(() -> source.fetch("file:///etc/passwd"), Reason.BAD_REFERENCE, "scheme");
      assertReason(() -> source.fetch("ftp://example.com/a.jpg"), Reason.BAD_REFERENCE);
      assertReason(() -> source.fetch("  "), Reason.BAD_REFERENCE, "blank");
      assertReason(() -> source.fetch("a\0b.jpg"), Reason.BAD_REFERENCE, "not a valid path");
    }
  }

  @Test
  void refusesSymlinksOutOfTheRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("images/evil.jpg"), outside.resolve("passwd"));
    Files.createSymbolicLink(root.resolve("images/escape"), outside);
    Files.createSymbolicLink(root.resolve("images/inside.jpg"), root.resolve("images/a/1.jpg"));
    try (ImageSource source = new ImageSource(root, FetchOptions.defaults())) {
      assertReason(() -> source.fetch("images/evil.jpg"), Reason.PATH_ESCAPE, "symlink");
      assertReason(() -> source.fetch("images/escape/passwd"), Reason.PATH_ESCAPE, "symlink");
      assertThat(source.fetch("images/inside.jpg").bytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void rootThatIsASymlinkStillWorks() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("link-to-catalog"), root);
    try (ImageSource source = new ImageSource(link, FetchOptions.defaults())) {
      assertThat(source.fetch("images/a/1.jpg").size()).isEqualTo(3);
      assertReason(() -> source.fetch("../secret/passwd"), Reason.PATH_ESCAPE);
    }
  }

  @Test
  void capsFileSize() throws IOException {
    Files.write(root.resolve("big.jpg"), new byte[101]);
    try (ImageSource source = new ImageSource(root, FetchOptions.defaults().withMaxBytes(100))) {
      assertReason(() -> source.fetch("big.jpg"), Reason.TOO_LARGE, "101", "100");
      assertThat(source.fetch("images/a/1.jpg").size()).isEqualTo(3);
    }
  }

  @Test
  void remoteOnlySourceRefusesPaths() {
    try (ImageSource source = ImageSource.remoteOnly(FetchOptions.defaults())) {
      assertThat(source.root()).isEmpty();
      assertReason(() -> source.fetch("images/a/1.jpg"), Reason.PATH_ESCAPE, "no catalog root");
    }
  }

  @Test
  void missingRootFailsFast() {
    assertThatThrownBy(() -> new ImageSource(tmp.resolve("nope"), FetchOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void anImageRootTakesShopExportPathsWithALeadingSlash() throws IOException {
    Path media = Files.createDirectories(tmp.resolve("pub/media/catalog/product"));
    Files.createDirectories(media.resolve("m/s"));
    Files.write(media.resolve("m/s/msj000t_1.webp"), new byte[] {7, 8});
    try (ImageSource magento = ImageSource.forImageRoot(media, FetchOptions.defaults());
        ImageSource catalog = new ImageSource(root, FetchOptions.defaults())) {
      assertThat(magento.fetch("/m/s/msj000t_1.webp").bytes()).containsExactly(7, 8);
      assertThat(magento.fetch("m/s/msj000t_1.webp").bytes()).containsExactly(7, 8);
      assertThat(magento.fetch("//m/s/msj000t_1.webp").bytes()).containsExactly(7, 8);
      assertThat(magento.root()).contains(media.toRealPath());
      // a leading slash is the image root, never the file system's: no way out of the root
      assertReason(() -> magento.fetch("/etc/passwd"), Reason.NOT_FOUND, "etc/passwd");
      assertReason(
          () -> magento.fetch("/../../../../secret/passwd"),
          Reason.PATH_ESCAPE,
          "outside the image root");
      // without an image root the same reference is a file-system path outside the catalog root
      assertReason(
          () -> catalog.fetch("/m/s/msj000t_1.webp"),
          Reason.PATH_ESCAPE,
          "outside the catalog root");
    }
    assertThatThrownBy(() -> ImageSource.forImageRoot(tmp.resolve("nope"), FetchOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image root")
        .hasMessageContaining("does not exist");
  }
}
