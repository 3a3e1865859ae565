package dev.shopsearch.core.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model bundle on disk: a directory with {@value #MANIFEST_FILE} ({@link BundleManifest}) and the
 * files it names (the two ONNX towers, {@code tokenizer.json}, optional projections).
 *
 * <p>{@link #load(Path)} checks that every file the manifest names exists inside the directory; it
 * does not open the ONNX models (the encoders validate their graphs when they load them, see {@code
 * dev.shopsearch.core.encode.Encoders}). Instances are immutable and thread-safe.
 *
 * <h2>Content hash</h2>
 *
 * {@link BundleManifest#contentHash()} is the lower-case hex SHA-256 over the bundle's files (every
 * regular file in the directory except {@value #MANIFEST_FILE}) in sorted name order; for each file
 * the digest takes the UTF-8 name, a 0 byte, the length as 8 big-endian bytes, then the content.
 * {@link #write} computes it; {@link #verifyContentHash()} recomputes it.
 */
public final class ModelBundle {
  /** Manifest file name inside a bundle directory. */
  public static final String MANIFEST_FILE = "model.json";

  private final Path dir;
  private final BundleManifest manifest;

  private ModelBundle(Path dir, BundleManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Loads a bundle directory.
   *
   * @throws BundleException if the directory or {@value #MANIFEST_FILE} is missing, the manifest is
   *     invalid (the message names the field), or a file it names is missing
   */
  public static ModelBundle load(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new BundleException("model bundle directory does not exist: " + root);
    }
    Path manifestPath = root.resolve(MANIFEST_FILE);
    if (!Files.isRegularFile(manifestPath)) {
      throw new BundleException(
          "model bundle " + root + " has no " + MANIFEST_FILE + " (expected " + manifestPath + ")");
    }
    String json;
    try {
      json = Files.readString(manifestPath, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BundleException("cannot read " + manifestPath + ": " + e.getMessage(), e);
    }
    BundleManifest manifest = ManifestJson.parse(json, manifestPath);
    ModelBundle bundle = new ModelBundle(root, manifest);
    bundle.checkFilesExist(manifestPath);
    return bundle;
  }

  /**
   * Writes a bundle: each entry of {@code files} (flat names such as {@code text.onnx}), then
   * {@value #MANIFEST_FILE} with the {@linkplain ModelBundle content hash} of those files. Creates
   * {@code dir} if needed; an existing file of the same name is replaced.
   *
   * @param dir target directory
   * @param manifest the manifest; its {@code contentHash} is ignored and replaced
   * @param files file name to content; must hold every file the manifest names unless it already
   *     exists in {@code dir}
   * @return the written bundle, loaded back
   * @throws BundleException if a name is not a plain file name, the directory already holds files
   *     outside {@code files} (they would change the hash), or a named file is missing
   */
  public static ModelBundle write(Path dir, BundleManifest manifest, Map<String, byte[]> files) {
    Path root = dir.toAbsolutePath().normalize();
    for (String name : files.keySet()) {
      checkPlainName(name, "file name");
      if (name.equals(MANIFEST_FILE)) {
        throw new BundleException(
            "bundle files must not contain " + MANIFEST_FILE + "; it is written from the manifest");
      }
    }
    try {
      Files.createDirectories(root);
      List<String> strangers = new ArrayList<>();
      for (String existing : listFiles(root).keySet()) {
        if (!files.containsKey(existing)) {
          strangers.add(existing);
        }
      }
      if (!strangers.isEmpty()) {
        throw new BundleException(
            "cannot write bundle into "
                + root
                + ": it already holds files that are not part of the bundle "
                + strangers
                + " (they would be covered by the content hash); use an empty directory");
      }
      for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
        writeAtomically(root.resolve(e.getKey()), e.getValue());
      }
      BundleManifest hashed = manifest.withContentHash(hashFiles(root));
      writeAtomically(
          root.resolve(MANIFEST_FILE),
          ManifestJson.toJson(hashed).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BundleException("cannot write bundle to " + root + ": " + e.getMessage(), e);
    }
    return load(root);
  }

  /** The bundle directory (absolute, normalised). */
  public Path dir() {
    return dir;
  }

  /** The parsed manifest. */
  public BundleManifest manifest() {
    return manifest;
  }

  /**
   * Resolves a file name from the manifest against the bundle directory.
   *
   * @throws BundleException if {@code file} would leave the bundle directory
   */
  public Path resolve(String file) {
    Path path = dir.resolve(file).normalize();
    if (!path.startsWith(dir) || path.equals(dir)) {
      throw new BundleException(
          "bundle file '" + file + "' resolves outside the bundle directory " + dir);
    }
    return path;
  }

  /** Recomputes the content hash from the files on disk. */
  public String computeContentHash() {
    try {
      return hashFiles(dir);
    } catch (IOException e) {
      throw new BundleException("cannot hash bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the files on disk still match {@link BundleManifest#contentHash()}.
   *
   * @throws BundleException naming both hashes if they differ or the manifest has none
   */
  public void verifyContentHash() {
    String expected = manifest.contentHash();
    if (expected == null || expected.isBlank()) {
      throw new BundleException(dir.resolve(MANIFEST_FILE) + ": field 'contentHash' is not set");
    }
    String actual = computeContentHash();
    if (!actual.equalsIgnoreCase(expected)) {
      throw new BundleException(
          String.format(
              Locale.ROOT,
              "bundle %s: files do not match the manifest's contentHash (manifest %s, files %s)",
              dir,
              expected,
              actual));
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ModelBundle[%s %s dim=%d hash=%s at %s]",
        manifest.name(),
        manifest.version(),
        manifest.dim(),
        manifest.contentHash(),
        dir);
  }

  /** Files the manifest names, keyed by the manifest field that names them. */
  Map<String, String> referencedFiles() {
    Map<String, String> refs = new LinkedHashMap<>();
    refs.put("text.file", manifest.text().file());
    if (manifest.text().projection() != null) {
      refs.put("text.projection", manifest.text().projection());
    }
    refs.put("image.file", manifest.image().file());
    if (manifest.image().projection() != null) {
      refs.put("image.projection", manifest.image().projection());
    }
    if (manifest.textSpec() != null) {
      refs.put("textSpec.tokenizer", manifest.textSpec().tokenizer());
    }
    return refs;
  }

  private void checkFilesExist(Path manifestPath) {
    for (Map.Entry<String, String> ref : referencedFiles().entrySet()) {
      Path file;
      try {
        file = resolve(ref.getValue());
      } catch (BundleException e) {
        throw new BundleException(
            manifestPath + ": field '" + ref.getKey() + "': " + e.getMessage(), e);
      }
      if (!Files.isRegularFile(file)) {
        throw new BundleException(
            String.format(
                Locale.ROOT,
                "%s: field '%s' names '%s' but %s does not exist",
                manifestPath,
                ref.getKey(),
                ref.getValue(),
                file));
      }
    }
  }

  private static void checkPlainName(String name, String what) {
    if (name == null
        || name.isBlank()
        || name.contains("/")
        || name.contains("\\")
        || name.equals(".")
        || name.equals("..")) {
      throw new BundleException(
          "bundle " + what + " must be a plain file name without directories; got '" + name + "'");
    }
  }

  /** Regular files of {@code dir} except the manifest, sorted by name. */
  private static TreeMap<String, Path> listFiles(Path dir) throws IOException {
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(MANIFEST_FILE))
          .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
          .forEach(p -> files.put(p.getFileName().toString(), p));
    }
    return files;
  }

  private static String hashFiles(Path dir) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    for (Map.Entry<String, Path> e : listFiles(dir).entrySet()) {
      digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      long size = Files.size(e.getValue());
      for (int shift = 56; shift >= 0; shift -= 8) {
        digest.update((byte) (size >>> shift));
      }
      try (InputStream in = Files.newInputStream(e.getValue())) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
    try {
      Files.write(tmp, content);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
