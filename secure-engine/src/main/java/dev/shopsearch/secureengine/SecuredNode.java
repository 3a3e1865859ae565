package dev.shopsearch.secureengine;

import dev.shopsearch.engine.ClasspathNode;
import dev.shopsearch.engine.EngineClasspath;
import dev.shopsearch.engine.EngineStartException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One forked OpenSearch 3.4.0 node with the security plugin on 127.0.0.1: a test CA, a node
 * certificate for {@code 127.0.0.1}/{@code localhost} signed by it (the JDK's {@code keytool}), TLS
 * on transport and HTTP, and one internal user with all access whose password is generated here and
 * reaches the node through its environment only ({@link SecureNodeMain}). {@link #start} returns
 * when the node answers an authenticated {@code https} health request; {@link #close} destroys it
 * and deletes its folder. Meant to be shared per test class.
 */
public final class SecuredNode implements AutoCloseable {
  /** System property overriding the start budget in seconds. */
  public static final String START_TIMEOUT_PROPERTY = "shopsearch.engine.startTimeoutSeconds";

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String USER = "shopsearch";

  private final Process process;
  private final Path workDir;
  private final int httpPort;
  private final Path caCertificate;
  private final Path trustStore;
  private final char[] storePassword;
  private final char[] password;
  private final Path log;

  private SecuredNode(
      Process process,
      Path workDir,
      int httpPort,
      Path caCertificate,
      Path trustStore,
      char[] storePassword,
      char[] password,
      Path log) {
    this.process = process;
    this.workDir = workDir;
    this.httpPort = httpPort;
    this.caCertificate = caCertificate;
    this.trustStore = trustStore;
    this.storePassword = storePassword;
    this.password = password;
    this.log = log;
  }

  /**
   * Makes the certificates, forks the node and waits (the budget of {@link
   * #START_TIMEOUT_PROPERTY}, default 300 s) until it answers.
   *
   * @throws EngineStartException when the jars are missing, the node exits, or it is not ready in
   *     time
   */
  public static SecuredNode start(Path workDir) {
    Duration budget = Duration.ofSeconds(Long.getLong(START_TIMEOUT_PROPERTY, 300));
    Path lib = EngineClasspath.codeSource(SecuredNode.class).getParent().resolve("engine-lib");
    String classpath =
        EngineClasspath.of(
            lib, "opensearch-security", List.of(SecuredNode.class, ClasspathNode.class));
    char[] storePassword = randomSecret();
    char[] password = randomSecret();
    Process process = null;
    try {
      Path home = workDir.resolve("node");
      Path config = home.resolve("config");
      Path certs = workDir.resolve("certs");
      Files.createDirectories(config.resolve("opensearch-security"));
      Files.createDirectories(certs);
      TestCertificates.create(certs, new String(storePassword));
      Files.copy(certs.resolve(SecureNodeMain.KEY_STORE), config.resolve(SecureNodeMain.KEY_STORE));
      Files.copy(
          certs.resolve(SecureNodeMain.TRUST_STORE), config.resolve(SecureNodeMain.TRUST_STORE));
      copySecurityConfig(lib.resolve("security/config"), config.resolve("opensearch-security"));
      int[] ports = freePorts(2);
      Path log = workDir.resolve("node.log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xms512m",
                  "-Xmx512m",
                  "-cp",
                  classpath,
                  SecureNodeMain.class.getName(),
                  home.toString(),
                  Integer.toString(ports[0]),
                  Integer.toString(ports[1]),
                  USER)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put(SecureNodeMain.USER_PASSWORD_ENV, new String(password));
      pb.environment().put(SecureNodeMain.STORE_PASSWORD_ENV, new String(storePassword));
      process = pb.start();
      SecuredNode node =
          new SecuredNode(
              process,
              workDir,
              ports[0],
              certs.resolve(TestCertificates.CA_PEM),
              certs.resolve(SecureNodeMain.TRUST_STORE),
              storePassword,
              password,
              log);
      node.awaitReady(budget);
      return node;
    } catch (IOException e) {
      destroy(process);
      throw new EngineStartException("cannot start the secured OpenSearch node: " + e, false, e);
    } catch (RuntimeException e) {
      destroy(process);
      throw e;
    }
  }

  /** {@code https://127.0.0.1:port}. */
  public URI httpsUri() {
    return URI.create("https://127.0.0.1:" + httpPort);
  }

  /** The test CA's certificate (PEM), which signed the node's. */
  public Path caCertificate() {
    return caCertificate;
  }

  /** A PKCS12 trust store holding the test CA. */
  public Path trustStore() {
    return trustStore;
  }

  /** The trust store's password. */
  public char[] trustStorePassword() {
    return storePassword.clone();
  }

  /** The internal user with all access. */
  public String user() {
    return USER;
  }

  /** Its password (generated for this node). */
  public char[] password() {
    return password.clone();
  }

  /** The node's log (standard output and error). */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    destroy(process);
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(SecuredNode::deleteQuietly);
    } catch (IOException e) {
      // leave it to the OS temp cleaner
    }
  }

  private void awaitReady(Duration budget) {
    HttpClient http;
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(trustStore)) {
        trust.load(in, storePassword);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
      http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new EngineStartException("cannot read the test trust store: " + e, false, e);
    }
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (USER + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + budget.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new EngineStartException(
            "the secured OpenSearch node exited with code "
                + process.exitValue()
                + " before it was ready; see "
                + log,
            false,
            null);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        httpsUri().resolve("/_cluster/health?wait_for_status=yellow&timeout=2s"))
                    .header("Authorization", auth)
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().contains("\"timed_out\":false")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineStartException("interrupted while waiting for the secured node", false, e);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineStartException("interrupted while waiting for the secured node", false, e);
      }
    }
    throw new EngineStartException(
        String.format(
            Locale.ROOT,
            "secured OpenSearch node not ready within %d s (%s to change); last answer: %s; log %s",
            budget.toSeconds(),
            START_TIMEOUT_PROPERTY,
            last,
            log),
        true,
        null);
  }

  private static void copySecurityConfig(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static char[] randomSecret() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static void destroy(Process process) {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
