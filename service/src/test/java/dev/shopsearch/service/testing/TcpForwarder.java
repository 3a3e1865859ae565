package dev.shopsearch.service.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a fixed local port that can be switched off (the port refuses connections and
 * open connections are cut) and on again: an engine "outage" and its recovery without touching the
 * engine. Threads are daemons; {@link #close} stops everything.
 */
public final class TcpForwarder implements AutoCloseable {
  private final int port;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  /** A forwarder on a free port to {@code 127.0.0.1:target}, switched off. */
  public TcpForwarder(int target) throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      this.port = probe.getLocalPort();
    }
    this.target = target;
  }

  /** The local port clients connect to. */
  public int port() {
    return port;
  }

  /** Starts accepting and forwarding. */
  public synchronized void on() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = s;
    Thread.ofPlatform().daemon().name("forward-accept").start(() -> accept(s));
  }

  /** Refuses new connections and cuts the open ones. */
  public synchronized void off() {
    ServerSocket s = server;
    server = null;
    closeQuietly(s);
    open.forEach(TcpForwarder::closeQuietly);
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket in = s.accept();
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(in);
        open.add(out);
        pipe(in, out);
        pipe(out, in);
      } catch (IOException e) {
        // closed, or the target refused: the client sees a closed connection
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .name("forward-pipe")
        .start(
            () -> {
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                i.transferTo(o);
              } catch (IOException e) {
                // cut
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing
    }
  }

  @Override
  public void close() {
    off();
  }
}
