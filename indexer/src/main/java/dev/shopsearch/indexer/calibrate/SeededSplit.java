package dev.shopsearch.indexer.calibrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A deterministic split by key: SHA-256 of the seed and the key, as a number in [0, 1); keys below
 * {@code heldOutShare} are held out. Stable across runs, JVMs and catalog order.
 *
 * @param seed the seed
 * @param heldOutShare share of keys held out, in (0, 1)
 */
public record SeededSplit(long seed, double heldOutShare) {
  public SeededSplit {
    if (!(heldOutShare > 0 && heldOutShare < 1)) {
      throw new IllegalArgumentException("held-out share must be in (0, 1); got " + heldOutShare);
    }
  }

  /** A uniform number in [0, 1) from the key and the seed. */
  public double bucket(String key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
      md.update((byte) ':');
      byte[] h = md.digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the key is in the held-out half. */
  public boolean heldOut(String key) {
    return bucket(key) < heldOutShare;
  }
}
