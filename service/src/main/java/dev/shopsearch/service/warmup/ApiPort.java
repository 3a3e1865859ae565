package dev.shopsearch.service.warmup;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where the API server listens once it has started (not the management server), for the warm-up's
 * requests: {@code server.address} (loopback when unset or a wildcard), the port it got, and {@code
 * server.servlet.context-path}. Thread-safe.
 */
@Component
public class ApiPort implements ApplicationListener<WebServerInitializedEvent>, Warmup.ApiBase {
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final boolean webServer;
  private final String address;
  private final String contextPath;

  ApiPort(ApplicationContext context, Environment env) {
    this.webServer = context instanceof WebServerApplicationContext;
    this.address = env.getProperty("server.address", "");
    this.contextPath = env.getProperty("server.servlet.context-path", "");
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() == null) {
      port.complete(event.getWebServer().getPort());
    }
  }

  @Override
  public Optional<URI> await(Duration max) {
    if (!webServer) {
      return Optional.empty();
    }
    int p;
    try {
      p = port.get(Math.max(0, max.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(base(address, p, contextPath));
  }

  static URI base(String address, int port, String contextPath) {
    String host = "127.0.0.1";
    if (address != null && !address.isBlank()) {
      try {
        InetAddress a = InetAddress.getByName(address.trim());
        if (!a.isAnyLocalAddress()) {
          host =
              a.getHostAddress().contains(":")
                  ? "[" + a.getHostAddress() + "]"
                  : a.getHostAddress();
        }
      } catch (UnknownHostException e) {
        host = address.trim();
      }
    }
    String path = contextPath == null ? "" : contextPath.trim();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    return URI.create("http://" + host + ":" + port + path);
  }
}
