package dev.shopsearch.core.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Buffered character input with line counting, newline normalisation and push-back (package-private
 * helper of the record readers). {@code \r\n} and a lone {@code \r} are both returned as {@code
 * \n}. A leading byte-order mark is dropped. Not thread-safe.
 */
final class CharSource implements Closeable {
  static final int EOF = -1;

  private final Reader in;
  private final char[] buf = new char[16 * 1024];
  private int pos;
  private int len;
  private String pushback = "";
  private int pushPos;
  private long line = 1;
  private boolean started;

  CharSource(Reader in) {
    this.in = in;
  }

  /** The 1-based line number of the next character. */
  long line() {
    return line;
  }

  /** Reads one character, or {@link #EOF}. */
  int read() throws IOException {
    int c = rawRead();
    if (!started) {
      started = true;
      if (c == '\uFEFF') {
        c = rawRead();
      }
    }
    if (c == '\r') {
      if (rawPeek() == '\n') {
        rawRead();
      }
      c = '\n';
    }
    if (c == '\n') {
      line++;
    }
    return c;
  }

  /** Reads characters up to and including the next newline, discarding them. */
  void skipLine() throws IOException {
    int c;
    do {
      c = read();
    } while (c != EOF && c != '\n');
  }

  /**
   * Puts text back in front of the remaining input; the next {@link #read()} returns its first
   * character, counted as being on {@code lineOfFirstChar}.
   */
  void unread(String text, long lineOfFirstChar) {
    pushback = text + pushback.substring(pushPos);
    pushPos = 0;
    line = lineOfFirstChar;
    started = true;
  }

  private int rawRead() throws IOException {
    if (pushPos < pushback.length()) {
      return pushback.charAt(pushPos++);
    }
    if (pos == len && !fill()) {
      return EOF;
    }
    return buf[pos++];
  }

  private int rawPeek() throws IOException {
    if (pushPos < pushback.length()) {
      return pushback.charAt(pushPos);
    }
    if (pos == len && !fill()) {
      return EOF;
    }
    return buf[pos];
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    pos = 0;
    len = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
