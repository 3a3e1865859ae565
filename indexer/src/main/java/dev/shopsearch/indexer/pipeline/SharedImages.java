package dev.shopsearch.indexer.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Identical image bytes within one run (package-private): the first product that shows an image (by
 * the SHA-256 of its bytes) decodes it and sends it to the encoder; every other product that shows
 * the same bytes meanwhile waits for that one vector instead, and afterwards finds it among the
 * {@code capacity} most recently encoded images. Shops reuse one photo for many products (colour
 * and size variants of a Magento configurable product), so this saves decoding and inference on top
 * of the persistent embedding cache, which a run fills only as it writes.
 *
 * <p>A failed decode is not shared: each product showing those bytes tries them itself (and gets
 * its own reject naming its own reference). Memory: one entry per image in flight, plus {@code
 * capacity} vectors. Thread-safe.
 */
final class SharedImages {
  private static final long WAIT_MS = 50;

  /** What {@link #claim} decided for an image. */
  enum Claim {
    /** The caller is the first: it decodes, then calls {@link #decoded} or {@link #failed}. */
    LEAD,
    /** The vector is known; it was handed to the waiter before returning. */
    KNOWN,
    /** Another product's copy is being encoded; the waiter gets the vector when it is. */
    WAITING,
    /** Another product's copy could not be decoded: decode this one independently. */
    DECODE
  }

  private static final class Entry {
    boolean decoding = true;
    final List<Consumer<float[]>> waiters = new ArrayList<>();
  }

  private final Map<String, Entry> inFlight = new HashMap<>();
  private final Map<String, float[]> recent;

  /**
   * @param capacity how many encoded vectors are kept for images met again later in the run (0:
   *     only images still in flight are shared)
   */
  SharedImages(int capacity) {
    this.recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The vector of a recently encoded image with these bytes, or {@code null}. */
  synchronized float[] recent(String hash) {
    return recent.get(hash);
  }

  /**
   * Claims an image for decoding, or joins the product already decoding it. While that product is
   * still decoding, this waits (the decode is running on another worker and waits for nothing),
   * calling {@code whileWaiting} every 50 ms, which may throw to abandon the wait.
   *
   * @param waiter receives the vector: at once for {@link Claim#KNOWN}, later (on the encoder
   *     thread) for {@link Claim#WAITING}; never for the other outcomes
   */
  synchronized Claim claim(String hash, Consumer<float[]> waiter, Runnable whileWaiting)
      throws InterruptedException {
    float[] known = recent.get(hash);
    if (known != null) {
      waiter.accept(known);
      return Claim.KNOWN;
    }
    Entry entry = inFlight.get(hash);
    if (entry == null) {
      inFlight.put(hash, new Entry());
      return Claim.LEAD;
    }
    while (entry.decoding && inFlight.get(hash) == entry) {
      wait(WAIT_MS);
      whileWaiting.run();
    }
    if (inFlight.get(hash) == entry) {
      entry.waiters.add(waiter);
      return Claim.WAITING;
    }
    known = recent.get(hash);
    if (known != null) {
      waiter.accept(known);
      return Claim.KNOWN;
    }
    return Claim.DECODE;
  }

  /** The leader decoded the image; it goes to the encoder. */
  synchronized void decoded(String hash) {
    Entry entry = inFlight.get(hash);
    if (entry != null) {
      entry.decoding = false;
    }
    notifyAll();
  }

  /** The leader could not decode the image; products waiting for it decode their own copy. */
  synchronized void failed(String hash) {
    inFlight.remove(hash);
    notifyAll();
  }

  /** The leader's image was encoded: every waiter gets the vector (on the calling thread). */
  synchronized void encoded(String hash, float[] vector) {
    recent.put(hash, vector);
    Entry entry = inFlight.remove(hash);
    if (entry != null) {
      for (Consumer<float[]> waiter : entry.waiters) {
        waiter.accept(vector);
      }
    }
  }
}
