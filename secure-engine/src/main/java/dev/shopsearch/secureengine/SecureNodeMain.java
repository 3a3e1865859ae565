package dev.shopsearch.secureengine;

import dev.shopsearch.engine.ClasspathNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.opensearch.common.settings.Settings;

/**
 * The main class of the forked secured node JVM (started by {@link SecuredNode}, never in-process):
 * one OpenSearch node, single-node discovery, the security plugin with TLS on transport and HTTP
 * from the PKCS12 stores in its config folder, and one internal user with the {@code admin} backend
 * role (all access in the plugin's default role mapping). The user's password and the stores'
 * password come from environment variables, never from arguments or files; the node writes only the
 * password's BCrypt hash (the plugin's own {@code Hasher}) into {@code internal_users.yml}, from
 * which the plugin initialises its security index at first start.
 *
 * <p>Arguments: {@code homeDir httpPort transportPort user}. The node runs through the engine
 * launcher's {@link ClasspathNode} (its classes are on this JVM's classpath too): it exits when its
 * standard input reaches end of file, so it never outlives the JVM that forked it.
 */
public final class SecureNodeMain {
  /** Environment variable holding the internal user's password. */
  public static final String USER_PASSWORD_ENV = "SHOPSEARCH_SECURE_NODE_USER_PASSWORD";

  /** Environment variable holding the password of the key and trust stores. */
  public static final String STORE_PASSWORD_ENV = "SHOPSEARCH_SECURE_NODE_STORE_PASSWORD";

  /** Key store (node certificate and key) in the node's config folder. */
  static final String KEY_STORE = "node.p12";

  /** Trust store (the test CA) in the node's config folder. */
  static final String TRUST_STORE = "trust.p12";

  /** Distinguished name of the node certificate. */
  static final String NODE_DN = "CN=node,O=shopsearch";

  private static final List<String> PLUGIN_CLASSES =
      List.of(
          "org.opensearch.transport.Netty4ModulePlugin",
          "org.opensearch.security.OpenSearchSecurityPlugin");

  private SecureNodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "expected 4 arguments (homeDir httpPort transportPort user); got " + args.length);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    String storePassword = requiredEnv(STORE_PASSWORD_ENV);
    writeInternalUser(home.resolve("config/opensearch-security/internal_users.yml"), args[3]);
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("logs"));
    Settings.Builder b =
        Settings.builder()
            .put("cluster.name", "shopsearch-secure-test-" + ProcessHandle.current().pid())
            .put("node.name", "secure-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", args[2])
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("node.processors", 2);
    for (String layer : List.of("transport", "http")) {
      String p = "plugins.security.ssl." + layer + ".";
      b.put(p + "keystore_type", "PKCS12")
          .put(p + "keystore_filepath", KEY_STORE)
          .put(p + "keystore_password", storePassword)
          .put(p + "truststore_type", "PKCS12")
          .put(p + "truststore_filepath", TRUST_STORE)
          .put(p + "truststore_password", storePassword);
    }
    b.put("plugins.security.ssl.http.enabled", true)
        .put("plugins.security.ssl.transport.enforce_hostname_verification", false)
        .put("plugins.security.allow_default_init_securityindex", true)
        .putList("plugins.security.nodes_dn", NODE_DN)
        .put("plugins.security.audit.type", "noop");
    ClasspathNode.run(
        b.build(), home.resolve("config"), PLUGIN_CLASSES, "shopsearch-secure-node-started");
  }

  /** The user with the {@code admin} backend role, its password hashed by the plugin's Hasher. */
  private static void writeInternalUser(Path file, String user) throws Exception {
    char[] password = requiredEnv(USER_PASSWORD_ENV).toCharArray();
    // the plugin's own tool (its zip is the node's classpath, not this module's compile classpath)
    String hash =
        (String)
            Class.forName("org.opensearch.security.tools.Hasher")
                .getMethod("hash", char[].class)
                .invoke(null, (Object) password);
    String yml =
        String.format(
            Locale.ROOT,
            "_meta:%n  type: \"internalusers\"%n  config_version: 2%n%s:%n  hash: \"%s\"%n"
                + "  reserved: false%n  backend_roles:%n  - \"admin\"%n",
            user,
            hash);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yml, StandardCharsets.UTF_8);
  }

  private static String requiredEnv(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return v;
  }
}
