package dev.shopsearch.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A password or other secret, read from an environment variable or a file (a mounted Kubernetes or
 * Docker secret), never from a command-line argument (visible in {@code ps}). {@link #toString()}
 * never shows it, so a record or log line that holds one prints {@value #HIDDEN}.
 */
public final class Secret {
  /** What {@link #toString()} prints instead of the value. */
  public static final String HIDDEN = "<hidden>";

  private final char[] value;
  private final String source;

  private Secret(char[] value, String source) {
    this.value = value;
    this.source = source;
  }

  /** A secret given in code (tests, values already read elsewhere). */
  public static Secret of(String value, String source) {
    Objects.requireNonNull(value, "value");
    return new Secret(value.toCharArray(), source);
  }

  /**
   * The value of environment variable {@code name} from {@code env}.
   *
   * @throws IllegalArgumentException naming the variable (never the value) when unset or empty
   */
  public static Secret fromEnv(String name, Map<String, String> env) {
    String v = env.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set or empty");
    }
    return new Secret(v.toCharArray(), "env " + name);
  }

  /**
   * The content of {@code file}, one trailing line break removed (as {@code echo} and editors
   * write).
   *
   * @throws IllegalArgumentException naming the file (never its content) when it is unreadable or
   *     empty
   */
  public static Secret fromFile(Path file) {
    String v;
    try {
      v = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read secret file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    if (v.endsWith("\r\n")) {
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("\n")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.isEmpty()) {
      throw new IllegalArgumentException("secret file " + file + " is empty");
    }
    return new Secret(v.toCharArray(), "file " + file);
  }

  /** The value (a copy); hand it only to the code that authenticates. */
  public char[] reveal() {
    return value.clone();
  }

  /** Where the secret came from ({@code env NAME} or {@code file PATH}), safe to log. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return HIDDEN;
  }
}
