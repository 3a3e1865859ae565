package dev.shopsearch.trainer.locked;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Frozen-tower features on disk, keyed by content: the SHA-256 of the tower key (which hashes the
 * feature graph and its preprocessing/tokenizer) and the input's bytes (image file bytes, caption
 * UTF-8). A changed photo, caption or tower is a new key; nothing is ever stale.
 *
 * <p>Layout: {@code dir/<towerKey>/<h0h1>/<hash>.f32} holding the floats little-endian. Files are
 * written to a temporary name and moved into place, so concurrent writers and crashes leave either
 * a whole entry or none. Thread-safe.
 */
public final class FeatureCache {
  private final Path dir;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public FeatureCache(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Lookups answered from disk so far. */
  public long hits() {
    return hits.get();
  }

  /** Lookups that had to be computed so far. */
  public long misses() {
    return misses.get();
  }

  /** The cached features, or {@code null}. */
  public float[] get(String towerKey, byte[] content) {
    Path file = file(towerKey, content);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cached features " + file, e);
    }
    if (bytes.length % 4 != 0 || bytes.length == 0) {
      return null; // not ours or damaged: recompute and overwrite
    }
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** Stores features for {@code content}. */
  public void put(String towerKey, byte[] content, float[] features) {
    Path file = file(towerKey, content);
    ByteBuffer buf = ByteBuffer.allocate(features.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(features);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "tmp", ".part");
      Files.write(tmp, buf.array());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cached features " + file, e);
    }
  }

  /**
   * Features for every content item: cached ones from disk, the others computed by {@code compute}
   * in batches of {@code batch} and stored.
   */
  public float[][] features(
      String towerKey,
      List<byte[]> contents,
      int batch,
      Function<List<byte[]>, float[][]> compute) {
    float[][] out = new float[contents.size()][];
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      out[i] = get(towerKey, contents.get(i));
      if (out[i] == null) {
        todo.add(i);
      } else {
        hits.incrementAndGet();
      }
    }
    for (int from = 0; from < todo.size(); from += batch) {
      List<Integer> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
      List<byte[]> inputs = new ArrayList<>();
      chunk.forEach(i -> inputs.add(contents.get(i)));
      float[][] computed = compute.apply(inputs);
      if (computed.length != chunk.size()) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT, "computed %d features for %d inputs", computed.length, chunk.size()));
      }
      for (int k = 0; k < chunk.size(); k++) {
        int i = chunk.get(k);
        out[i] = computed[k];
        if (computed[k] != null) {
          put(towerKey, contents.get(i), computed[k]);
        }
        misses.incrementAndGet();
      }
    }
    return out;
  }

  private Path file(String towerKey, byte[] content) {
    if (!towerKey.matches("[0-9a-zA-Z_-]{1,64}")) {
      throw new IllegalArgumentException("tower key must be [0-9a-zA-Z_-]{1,64}; key=" + towerKey);
    }
    String hash;
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(towerKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) 0);
      hash = HexFormat.of().formatHex(md.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return dir.resolve(towerKey).resolve(hash.substring(0, 2)).resolve(hash + ".f32");
  }
}
