package dev.shopsearch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The service's ports and shutdown phase, read from {@code
 * service/src/main/resources/application.yml} when that file exists; until then the values the
 * project agreed on (8080 app, 8081 management, 20 s shutdown phase).
 *
 * @param managementAddress {@code management.server.address}, null when unset (all interfaces)
 * @param fromServiceConfig whether the values came from the service's own configuration
 */
record ServiceConfig(
    int serverPort,
    int managementPort,
    String managementAddress,
    boolean probesEnabled,
    Duration shutdownPhase,
    boolean fromServiceConfig) {

  static ServiceConfig load() throws IOException {
    Path file = ProjectFiles.root().resolve("service/src/main/resources/application.yml");
    if (!Files.isRegularFile(file)) {
      return new ServiceConfig(8080, 8081, null, true, Duration.ofSeconds(20), false);
    }
    Map<String, Object> yml = ProjectFiles.yamlDocuments(file).get(0);
    Object shutdown = Yamls.get(yml, "spring.lifecycle.timeout-per-shutdown-phase");
    return new ServiceConfig(
        intOr(Yamls.get(yml, "server.port"), 8080),
        intOr(Yamls.get(yml, "management.server.port"), intOr(Yamls.get(yml, "server.port"), 8080)),
        Yamls.get(yml, "management.server.address") == null
            ? null
            : Yamls.get(yml, "management.server.address").toString(),
        Boolean.TRUE.equals(Yamls.get(yml, "management.endpoint.health.probes.enabled")),
        shutdown == null ? Duration.ofSeconds(30) : seconds(shutdown.toString()),
        true);
  }

  /** Whether the management port listens on loopback only (then containers must override it). */
  boolean managementOnLoopback() {
    return managementAddress != null
        && (managementAddress.equals("127.0.0.1")
            || managementAddress.equals("::1")
            || managementAddress.equals("localhost"));
  }

  private static int intOr(Object v, int fallback) {
    return v == null ? fallback : Integer.parseInt(v.toString());
  }

  /** Parses Spring's simple duration forms used here: {@code 20s}, {@code 1m}, {@code 500ms}. */
  static Duration seconds(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofMillis(Long.parseLong(t));
  }
}
