package dev.shopsearch.core.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Remembers product ids for duplicate detection in about 13 bytes per id (package-private): an
 * open-addressing set of 64-bit hashes (the first 8 bytes of the id's SHA-256), not the id strings.
 * Two distinct ids collide with probability about n²/2⁶⁵ (3·10⁻⁶ for ten million ids); a collision
 * would reject the second product as a duplicate. Not thread-safe.
 */
final class IdSet {
  private static final long EMPTY = 0L;

  private final MessageDigest sha256;
  private long[] slots = new long[1024];
  private int size;
  private boolean hasZero;

  IdSet() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  boolean contains(String id) {
    long h = hash(id);
    if (h == EMPTY) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == EMPTY) {
        return false;
      }
      if (slots[i] == h) {
        return true;
      }
    }
  }

  /** Adds the id; returns {@code false} when it was already present. */
  boolean add(String id) {
    long h = hash(id);
    if (h == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 10L > slots.length * 6L) {
      grow();
    }
    if (insert(slots, h)) {
      size++;
      return true;
    }
    return false;
  }

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  private static boolean insert(long[] table, long h) {
    int mask = table.length - 1;
    for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (table[i] == EMPTY) {
        table[i] = h;
        return true;
      }
      if (table[i] == h) {
        return false;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long h : slots) {
      if (h != EMPTY) {
        insert(bigger, h);
      }
    }
    slots = bigger;
  }

  private long hash(String id) {
    byte[] d = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xFF);
    }
    return h;
  }
}
