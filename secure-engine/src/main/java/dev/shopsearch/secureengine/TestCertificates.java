package dev.shopsearch.secureengine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a node certificate signed by it, made with the JDK's {@code keytool} (no extra
 * library): {@code ca.p12} (the CA's key), {@value #CA_PEM} (its certificate), {@code node.p12}
 * (the node's key and its chain, subject {@value SecureNodeMain#NODE_DN}, SAN {@code
 * IP:127.0.0.1,DNS:localhost}, server and client auth) and {@code trust.p12} (the CA only). Valid
 * for 30 days; every store has the given password.
 */
final class TestCertificates {
  /** The CA certificate, PEM. */
  static final String CA_PEM = "ca.crt";

  private TestCertificates() {}

  static void create(Path dir, String storePassword) throws IOException {
    String ca = dir.resolve("ca.p12").toString();
    String node = dir.resolve(SecureNodeMain.KEY_STORE).toString();
    String trust = dir.resolve(SecureNodeMain.TRUST_STORE).toString();
    String caPem = dir.resolve(CA_PEM).toString();
    String csr = dir.resolve("node.csr").toString();
    String nodePem = dir.resolve("node.crt").toString();
    keytool(storePassword, "-genkeypair", "-alias", "ca", "-dname", "CN=shopsearch-test-ca")
        .with("-ext", "bc:c", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30")
        .store(ca)
        .run();
    keytool(storePassword, "-exportcert", "-alias", "ca", "-rfc", "-file", caPem).store(ca).run();
    keytool(storePassword, "-genkeypair", "-alias", "node", "-dname", SecureNodeMain.NODE_DN)
        .with("-keyalg", "RSA", "-keysize", "2048", "-validity", "30")
        .store(node)
        .run();
    keytool(storePassword, "-certreq", "-alias", "node", "-file", csr).store(node).run();
    keytool(storePassword, "-gencert", "-alias", "ca", "-infile", csr, "-outfile", nodePem)
        .with("-rfc", "-validity", "30", "-ext", "san=ip:127.0.0.1,dns:localhost")
        .with("-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth,clientAuth")
        .store(ca)
        .run();
    keytool(storePassword, "-importcert", "-alias", "ca", "-file", caPem, "-noprompt")
        .store(node)
        .run();
    keytool(storePassword, "-importcert", "-alias", "node", "-file", nodePem, "-noprompt")
        .store(node)
        .run();
    keytool(storePassword, "-importcert", "-alias", "ca", "-file", caPem, "-noprompt")
        .store(trust)
        .run();
  }

  private static Command keytool(String storePassword, String... args) {
    return new Command(storePassword).with(args);
  }

  /** One keytool invocation; the store password goes through its environment, not its argv. */
  private static final class Command {
    private final List<String> args = new ArrayList<>();
    private final String storePassword;

    Command(String storePassword) {
      this.storePassword = storePassword;
      args.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    }

    Command with(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    Command store(String file) {
      return with(
          "-keystore", file, "-storetype", "PKCS12", "-storepass:env", "SHOPSEARCH_STORE_PASS");
    }

    void run() throws IOException {
      ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
      pb.environment().put("SHOPSEARCH_STORE_PASS", storePassword);
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IOException(
              "keytool "
                  + args.get(1)
                  + " failed: "
                  + out.toString(StandardCharsets.UTF_8).strip());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running keytool", e);
      }
    }
  }
}
