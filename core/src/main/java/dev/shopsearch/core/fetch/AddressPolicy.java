package dev.shopsearch.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Classifies IP addresses that a server-side fetch must not reach unless explicitly allowed (SSRF
 * protection): loopback, unspecified, private (RFC 1918, IPv6 unique-local, deprecated site-local),
 * carrier-grade NAT, link-local (including cloud metadata at 169.254.169.254), multicast, broadcast
 * and reserved/documentation ranges. IPv6 forms that embed an IPv4 address (mapped, compatible,
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the embedded address; Teredo
 * ({@code 2001::/32}) is refused. Stateless and thread-safe.
 */
public final class AddressPolicy {
  private AddressPolicy() {}

  /** Whether a fetch may connect to {@code address} without {@code allowPrivateAddresses}. */
  public static boolean isPublic(InetAddress address) {
    return classify(address) == null;
  }

  /**
   * Why {@code address} is not public (e.g. {@code "loopback"}, {@code "private"}, {@code
   * "link-local"}), or {@code null} when it is public.
   */
  public static String classify(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return classify4(b, 0);
    }
    if (!(address instanceof Inet6Address)) {
      return "unknown address family";
    }
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    if (first == 0xFF) {
      return "multicast";
    }
    if (first == 0xFE && (second & 0xC0) == 0x80) {
      return "link-local";
    }
    if (first == 0xFE && (second & 0xC0) == 0xC0) {
      return "site-local";
    }
    if ((first & 0xFE) == 0xFC) {
      return "unique-local (private)";
    }
    if (allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
      return embedded("IPv4-mapped", classify4(b, 12));
    }
    if (allZero(b, 0, 12)) {
      return embedded("IPv4-compatible", classify4(b, 12));
    }
    if (first == 0x00 && second == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B) {
      return embedded("NAT64", classify4(b, 12));
    }
    if (first == 0x20 && second == 0x02) {
      return embedded("6to4", classify4(b, 2));
    }
    if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
      return "Teredo tunnel";
    }
    if (first == 0x20 && second == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8) {
      return "documentation";
    }
    return null;
  }

  private static String embedded(String form, String inner) {
    return inner == null ? null : form + " " + inner;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Classifies the IPv4 address in {@code b[at..at+3]}. */
  private static String classify4(byte[] b, int at) {
    int a = b[at] & 0xFF;
    int c = b[at + 1] & 0xFF;
    int d = b[at + 2] & 0xFF;
    if (a == 0) {
      return "unspecified";
    }
    if (a == 127) {
      return "loopback";
    }
    if (a == 10 || (a == 172 && (c & 0xF0) == 16) || (a == 192 && c == 168)) {
      return "private";
    }
    if (a == 169 && c == 254) {
      return "link-local";
    }
    if (a == 100 && (c & 0xC0) == 64) {
      return "carrier-grade NAT";
    }
    if (a >= 224 && a <= 239) {
      return "multicast";
    }
    if (a >= 240) {
      return "reserved/broadcast";
    }
    if ((a == 192 && c == 0 && d == 0) || (a == 198 && (c & 0xFE) == 18)) {
      return "reserved";
    }
    if ((a == 192 && c == 0 && d == 2)
        || (a == 198 && c == 51 && d == 100)
        || (a == 203 && c == 0 && d == 113)) {
      return "documentation";
    }
    return null;
  }
}
