package dev.shopsearch.service.web;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Finds the parameter of a raw query string that cannot be decoded as percent-encoded UTF-8, so
 * that a refusal can name it: Tomcat only says that some parameter failed, with its value already
 * mangled. Stateless.
 */
final class QueryStrings {
  /** Longest raw value quoted back in a message. */
  static final int MAX_QUOTED = 64;

  private QueryStrings() {}

  /**
   * A parameter that does not decode.
   *
   * @param name the parameter name as far as it decodes (the raw name when the name itself is bad)
   * @param raw the raw {@code name=value} pair, cut to {@link #MAX_QUOTED} characters
   * @param problem what is wrong with it
   */
  record Undecodable(String name, String raw, String problem) {}

  /**
   * The first undecodable pair of {@code query} ({@code a=1&b=2}, as sent), or null when every pair
   * decodes.
   */
  static Undecodable firstUndecodable(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      String problem = problem(rawName);
      String name = problem == null ? decode(rawName) : rawName;
      if (problem == null) {
        problem = problem(rawValue);
      }
      if (problem != null) {
        String quoted = pair.length() > MAX_QUOTED ? pair.substring(0, MAX_QUOTED) + "…" : pair;
        return new Undecodable(name, quoted, problem);
      }
    }
    return null;
  }

  /** Why {@code raw} does not decode, or null when it does. */
  private static String problem(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          return "'%' at position " + i + " is not followed by two hex digits";
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] b = bytes.toByteArray();
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return null;
    } catch (CharacterCodingException e) {
      return String.format(
          Locale.ROOT,
          "the bytes %s are not valid UTF-8",
          HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(b.length, 16)));
    }
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }
}
