package dev.shopsearch.trainer.hf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Downloads files of a model repository from a Hugging Face–compatible hub ({@code
 * <endpoint>/<repo>/resolve/<revision>/<file>}) with resume and checksum:
 *
 * <ul>
 *   <li>bytes go to {@code <file>.part}; a later run continues it with an HTTP {@code Range}
 *       request (a server that answers 200 instead of 206 restarts it);
 *   <li>the expected SHA-256 comes from the caller or, failing that, from the hub's {@code
 *       X-Linked-Etag}/{@code ETag} header when it is a 64-digit hex digest (Git LFS files);
 *   <li>a file whose digest does not match is deleted and the download fails; a good one is moved
 *       into place atomically.
 * </ul>
 *
 * An access token ({@code HF_TOKEN}) is sent as a bearer token when given. Thread-safe.
 */
public final class HubDownloader {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final URI endpoint;
  private final String token;
  private final HttpClient http;
  private final Consumer<String> log;

  public HubDownloader(URI endpoint, String token, Consumer<String> log) {
    String s = endpoint.toString();
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new IllegalArgumentException("hub endpoint must be http(s); was " + endpoint);
    }
    this.endpoint = URI.create(s.endsWith("/") ? s : s + "/");
    this.token = token == null || token.isBlank() ? null : token;
    this.log = log;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The resolve URL of {@code file} in {@code repo} at {@code revision}. */
  public URI url(String repo, String revision, String file) {
    if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")) {
      throw new IllegalArgumentException(
          "repository must look like owner/name; was '" + repo + "'");
    }
    if (file.contains("..") || file.startsWith("/")) {
      throw new IllegalArgumentException("file name must be relative; was '" + file + "'");
    }
    return endpoint.resolve(
        repo + "/resolve/" + URLEncoder.encode(revision, StandardCharsets.UTF_8) + "/" + file);
  }

  /**
   * Downloads each file into {@code outDir}.
   *
   * @param expectedSha256 known digests by file name (others come from the hub's headers)
   * @throws IOException on HTTP errors (naming the status and URL) or checksum mismatch
   */
  public void pull(
      String repo,
      String revision,
      Iterable<String> files,
      Path outDir,
      Map<String, String> expectedSha256)
      throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    for (String f : files) {
      download(url(repo, revision, f), outDir.resolve(f), expectedSha256.get(f));
    }
  }

  /** Downloads one URL to {@code target} (resuming {@code target.part}). */
  public void download(URI url, Path target, String expectedSha256)
      throws IOException, InterruptedException {
    String expected = expectedSha256;
    if (expected == null) {
      expected = headDigest(url).orElse(null);
    }
    if (expected != null && !SHA256.matcher(expected).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits; was " + expected);
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    HttpRequest.Builder req = request(url).GET();
    if (have > 0) {
      req.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> resp =
        http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    int status = resp.statusCode();
    boolean append;
    if (status == 206) {
      append = true;
      log.accept(String.format(Locale.ROOT, "resuming %s at byte %d", target.getFileName(), have));
    } else if (status == 200) {
      append = false;
    } else if (status == 416 && have > 0) {
      resp.body().close();
      append = true; // nothing left to fetch
    } else {
      resp.body().close();
      throw new IOException(String.format(Locale.ROOT, "HTTP %d for %s", status, url));
    }
    if (status != 416) {
      try (InputStream in = resp.body();
          OutputStream out =
              Files.newOutputStream(
                  part,
                  StandardOpenOption.CREATE,
                  append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE)) {
        in.transferTo(out);
      }
    }
    if (expected != null) {
      String actual = sha256(part);
      if (!actual.equalsIgnoreCase(expected)) {
        Files.deleteIfExists(part);
        throw new IOException(
            String.format(
                Locale.ROOT,
                "checksum mismatch for %s: expected sha256 %s, got %s (partial file deleted)",
                url,
                expected.toLowerCase(Locale.ROOT),
                actual));
      }
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %d bytes%s",
            target.getFileName(),
            Files.size(target),
            expected != null ? ", sha256 ok" : ", no checksum published"));
  }

  private Optional<String> headDigest(URI url) throws IOException, InterruptedException {
    HttpClient noRedirect = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    HttpResponse<Void> resp =
        noRedirect.send(
            request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
    for (String h : new String[] {"X-Linked-Etag", "ETag"}) {
      Optional<String> v = resp.headers().firstValue(h);
      if (v.isPresent()) {
        String e = v.get().replace("W/", "").replace("\"", "").strip();
        if (SHA256.matcher(e).matches()) {
          return Optional.of(e.toLowerCase(Locale.ROOT));
        }
      }
    }
    return Optional.empty();
  }

  private HttpRequest.Builder request(URI url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
