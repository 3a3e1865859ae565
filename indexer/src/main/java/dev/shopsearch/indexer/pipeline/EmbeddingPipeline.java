package dev.shopsearch.indexer.pipeline;

import dev.shopsearch.core.catalog.CatalogEntry;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.catalog.Reject;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.ProductText;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.report.RejectLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The streaming, bounded embedding pipeline:
 *
 * <pre>
 * catalog reader (caller thread)
 *   → [work queue] → N workers: fetch bytes, hash, ask the sink, same image already met in this
 *                    run ({@link SharedImages})?, cache lookup, decode + preprocess
 *   → [encode queue] → 1 encoder thread: batches of {@code batchSize} images (partial after
 *                      {@code batchWaitMillis}), one {@link ImageEncoder#encode} call per batch;
 *                      then the product texts of the products whose images are done, one {@link
 *                      TextEncoder#encode} call for them (with a text tower)
 *   → [write queue] → 1 writer thread: {@link PipelineSink#write}, cache puts
 * </pre>
 *
 * With a text tower each product also gets a text vector, the embedding of {@link ProductText#of}
 * (the semantic list). It is cached like an image vector, under {@link ContentHash#ofText}, so an
 * update re-encodes a product's text only when the text changed, and identical texts (colour
 * variants sharing a name and description) are encoded once per run when they are near each other.
 *
 * <p>Every queue is bounded, so memory stays flat whatever the catalog size, and decoding on the
 * workers overlaps inference on the encoder thread. Identical image bytes under several products
 * are decoded and encoded once per run. A bad row or image is recorded in the {@link RejectLog} and
 * skipped; an encoder or sink failure stops the whole run and is rethrown by {@link #run}. One
 * instance runs once.
 */
public final class EmbeddingPipeline {
  private static final Object END = new Object();
  private static final long POLL_MS = 100;

  /** Text vectors the encoder thread remembers, for identical texts of nearby products. */
  private static final int RECENT_TEXTS = 1024;

  private final PipelineConfig config;
  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final TextEncoder text;
  private final EmbeddingCache cache;
  private final RejectLog rejects;
  private final PipelineStats stats;
  private final SharedImages shared;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  public EmbeddingPipeline(
      PipelineConfig config,
      ImageLoader loader,
      ImageEncoder encoder,
      EmbeddingCache cache,
      RejectLog rejects,
      PipelineStats stats) {
    this(config, loader, encoder, null, cache, rejects, stats);
  }

  /**
   * A pipeline that also embeds each product's text.
   *
   * @param text the bundle's text tower, or null for no text vectors
   * @throws IllegalArgumentException when the two towers' dimensions differ
   */
  public EmbeddingPipeline(
      PipelineConfig config,
      ImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      EmbeddingCache cache,
      RejectLog rejects,
      PipelineStats stats) {
    if (text != null && text.dim() != encoder.dim()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "text encoder dim %d differs from image encoder dim %d",
              text.dim(),
              encoder.dim()));
    }
    this.config = config;
    this.loader = loader;
    this.encoder = encoder;
    this.text = text;
    this.cache = cache;
    this.rejects = rejects;
    this.stats = stats;
    this.shared = new SharedImages(config.recentImages());
  }

  /** One image of a product in flight. */
  private static final class Slot {
    final String ref;
    final int ordinal;
    final String hash;
    float[] pixels;
    float[] vector;

    /** Encoded in this run through this slot: its vector goes to the cache. */
    boolean fresh;

    /** The first of this run's slots with these bytes: its vector is shared when encoded. */
    boolean leads;

    Slot(String ref, int ordinal, String hash) {
      this.ref = ref;
      this.ordinal = ordinal;
      this.hash = hash;
    }
  }

  /** The text of a product in flight. */
  private static final class TextSlot {
    final String text;
    final String hash;
    float[] vector;

    /** Encoded in this run through this slot: its vector goes to the cache. */
    boolean fresh;

    TextSlot(String text, String hash) {
      this.text = text;
      this.hash = hash;
    }
  }

  /**
   * @param text the product's text, or null without a text tower or text
   */
  private record Prepared(Product product, String contentHash, List<Slot> slots, TextSlot text) {
    boolean complete() {
      for (Slot s : slots) {
        if (s.vector == null) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Runs the catalog through the pipeline into the sink; returns when every product is written.
   *
   * @throws IOException if the sink or the cache fails
   * @throws dev.shopsearch.core.encode.EncoderException if the model fails
   * @throws InterruptedException if the calling thread is interrupted
   */
  public void run(Iterator<CatalogEntry> entries, PipelineSink sink)
      throws IOException, InterruptedException {
    int n = config.workers();
    BlockingQueue<Object> work = new ArrayBlockingQueue<>(config.queueCapacity());
    BlockingQueue<Object> toEncode = new ArrayBlockingQueue<>(config.queueCapacity());
    BlockingQueue<Object> toWrite = new ArrayBlockingQueue<>(config.queueCapacity());
    AtomicInteger liveWorkers = new AtomicInteger(n);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(
          start(
              "indexer-prepare-" + i,
              () -> {
                try {
                  workerLoop(work, toEncode, sink);
                } finally {
                  if (liveWorkers.decrementAndGet() == 0 && failure.get() == null) {
                    put(toEncode, END);
                  }
                }
              }));
    }
    threads.add(start("indexer-encode", () -> encoderLoop(toEncode, toWrite)));
    threads.add(start("indexer-write", () -> writerLoop(toWrite, sink)));
    try {
      while (failure.get() == null && entries.hasNext()) {
        CatalogEntry e = entries.next();
        switch (e) {
          case Reject r -> rejects.catalog(r);
          case Product p -> {
            stats.productsRead.incrementAndGet();
            put(work, p);
          }
        }
      }
      for (int i = 0; i < n && failure.get() == null; i++) {
        put(work, END);
      }
    } catch (Aborted a) {
      // a stage failed; its error is rethrown below
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    } finally {
      for (Thread t : threads) {
        while (t.isAlive()) {
          t.join(POLL_MS);
          if (Thread.currentThread().isInterrupted()) {
            failure.compareAndSet(null, new InterruptedException("indexing interrupted"));
          }
        }
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      switch (t) {
        case IOException io -> throw io;
        case InterruptedException ie -> throw ie;
        case UncheckedIOException uio -> throw uio.getCause();
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IOException("indexing failed: " + t, t);
      }
    }
  }

  private void workerLoop(BlockingQueue<Object> work, BlockingQueue<Object> out, PipelineSink sink)
      throws Exception {
    while (true) {
      Object item = take(work);
      if (item == END) {
        return;
      }
      long t0 = System.nanoTime();
      Prepared p = prepare((Product) item, sink);
      stats.prepareNanos.addAndGet(System.nanoTime() - t0);
      if (p != null) {
        put(out, p);
      }
    }
  }

  private Prepared prepare(Product p, PipelineSink sink) throws IOException, InterruptedException {
    List<String> refs = p.images();
    byte[][] bytes = new byte[refs.size()][];
    List<String> hashes = new ArrayList<>(refs.size());
    List<ImageRejectedException> errors = new ArrayList<>();
    List<String> errorRefs = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      try {
        bytes[i] = loader.fetch(refs.get(i));
        hashes.add(ContentHash.ofBytes(bytes[i]));
      } catch (ImageRejectedException e) {
        hashes.add(null);
        errors.add(e);
        errorRefs.add(refs.get(i));
      }
    }
    String contentHash = ContentHash.ofProduct(p, hashes);
    if (!sink.wants(p, contentHash)) {
      stats.productsUnchanged.incrementAndGet();
      return null;
    }
    List<Slot> slots = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      if (bytes[i] == null) {
        continue;
      }
      Slot slot = new Slot(refs.get(i), i, hashes.get(i));
      try {
        resolve(slot, bytes[i]);
      } catch (ImageRejectedException e) {
        errors.add(e);
        errorRefs.add(slot.ref);
        bytes[i] = null;
        continue;
      }
      bytes[i] = null;
      slots.add(slot);
    }
    if (slots.isEmpty()) {
      if (errors.isEmpty()) {
        rejects.product(p.row(), p.id(), "NO_IMAGES", null, "product has no image reference");
      } else {
        String more =
            errors.size() > 1
                ? String.format(Locale.ROOT, " (and %d more images failed)", errors.size() - 1)
                : "";
        rejects.product(
            p.row(),
            p.id(),
            errors.get(0).kind(),
            errorRefs.get(0),
            errors.get(0).getMessage() + more);
      }
      return null;
    }
    for (int i = 0; i < errors.size(); i++) {
      rejects.image(
          p.row(), p.id(), errors.get(i).kind(), errorRefs.get(i), errors.get(i).getMessage());
    }
    return new Prepared(p, contentHash, slots, textSlot(p));
  }

  /** The product's text with its cached vector, or null without a text tower or text. */
  private TextSlot textSlot(Product p) throws IOException {
    if (text == null) {
      return null;
    }
    String t = ProductText.of(p);
    if (t.isBlank()) {
      return null;
    }
    TextSlot slot = new TextSlot(t, ContentHash.ofText(t));
    slot.vector = cache.get(slot.hash);
    if (slot.vector != null) {
      stats.textCacheHits.incrementAndGet();
    }
    return slot;
  }

  /**
   * Gives a slot its vector (an identical image of this run, or the cache), a place among the
   * products waiting for an identical image being encoded, or its pixels for the encoder.
   */
  private void resolve(Slot slot, byte[] bytes)
      throws IOException, InterruptedException, ImageRejectedException {
    float[] known = shared.recent(slot.hash);
    if (known != null) {
      slot.vector = known;
      stats.duplicateImages.incrementAndGet();
      return;
    }
    float[] cached = cache.get(slot.hash);
    if (cached != null) {
      slot.vector = cached;
      stats.cacheHits.incrementAndGet();
      return;
    }
    switch (shared.claim(slot.hash, v -> slot.vector = v, this::checkFailure)) {
      case KNOWN, WAITING -> stats.duplicateImages.incrementAndGet();
      case DECODE -> slot.pixels = loader.prepare(slot.ref, bytes);
      case LEAD -> {
        boolean decoded = false;
        try {
          slot.pixels = loader.prepare(slot.ref, bytes);
          slot.leads = true;
          decoded = true;
        } finally {
          if (decoded) {
            shared.decoded(slot.hash);
          } else {
            shared.failed(slot.hash);
          }
        }
      }
    }
  }

  private void encoderLoop(BlockingQueue<Object> in, BlockingQueue<Object> out) throws Exception {
    List<Prepared> pending = new ArrayList<>();
    List<Slot> queued = new ArrayList<>();
    Map<String, float[]> recentTexts = recentTexts();
    boolean done = false;
    while (true) {
      Object item =
          queued.isEmpty() ? take(in) : in.poll(config.batchWaitMillis(), TimeUnit.MILLISECONDS);
      checkFailure();
      if (item == END) {
        done = true;
      } else if (item != null) {
        Prepared p = (Prepared) item;
        pending.add(p);
        for (Slot s : p.slots()) {
          if (s.pixels != null) {
            queued.add(s); // the others have their vector or wait for an identical image's
          }
        }
      }
      boolean flush = done || item == null;
      while (queued.size() >= config.batchSize() || (flush && !queued.isEmpty())) {
        int size = Math.min(config.batchSize(), queued.size());
        List<Slot> batch = new ArrayList<>(queued.subList(0, size));
        queued.subList(0, size).clear();
        encode(batch);
      }
      List<Prepared> ready = new ArrayList<>();
      for (var it = pending.iterator(); it.hasNext(); ) {
        Prepared p = it.next();
        if (p.complete()) {
          it.remove();
          ready.add(p);
        }
      }
      encodeTexts(ready, recentTexts);
      for (Prepared p : ready) {
        put(out, p);
      }
      if (done) {
        put(out, END);
        return;
      }
    }
  }

  private void encode(List<Slot> batch) {
    List<float[]> pixels = new ArrayList<>(batch.size());
    for (Slot s : batch) {
      pixels.add(s.pixels);
    }
    long t0 = System.nanoTime();
    List<float[]> vectors = encoder.encode(pixels);
    stats.encoderNanos.addAndGet(System.nanoTime() - t0);
    stats.encoderBatches.incrementAndGet();
    stats.imagesEncoded.addAndGet(batch.size());
    if (vectors.size() != batch.size()) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "image encoder returned %d vectors for %d images",
              vectors.size(),
              batch.size()));
    }
    for (int i = 0; i < batch.size(); i++) {
      Slot s = batch.get(i);
      s.vector = vectors.get(i);
      s.pixels = null;
      s.fresh = true;
      if (s.leads) {
        shared.encoded(s.hash, s.vector);
      }
    }
  }

  /** The text vectors most recently encoded by the encoder thread, by text hash (bounded). */
  private static Map<String, float[]> recentTexts() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > RECENT_TEXTS;
      }
    };
  }

  /**
   * Gives every ready product without a text vector one: from a text met recently in this run, or
   * encoded, at most {@code batchSize} texts per encoder call (on the encoder thread).
   */
  private void encodeTexts(List<Prepared> ready, Map<String, float[]> recent) {
    Map<String, List<TextSlot>> missing = new LinkedHashMap<>();
    for (Prepared p : ready) {
      TextSlot t = p.text();
      if (t == null || t.vector != null) {
        continue;
      }
      float[] known = recent.get(t.hash);
      if (known != null) {
        t.vector = known;
        stats.duplicateTexts.incrementAndGet();
      } else {
        missing.computeIfAbsent(t.hash, h -> new ArrayList<>()).add(t);
      }
    }
    List<List<TextSlot>> groups = new ArrayList<>(missing.values());
    for (int from = 0; from < groups.size(); from += config.batchSize()) {
      List<List<TextSlot>> batch =
          groups.subList(from, Math.min(groups.size(), from + config.batchSize()));
      long t0 = System.nanoTime();
      List<float[]> vectors = text.encode(batch.stream().map(g -> g.get(0).text).toList());
      stats.textEncoderNanos.addAndGet(System.nanoTime() - t0);
      stats.textsEncoded.addAndGet(batch.size());
      if (vectors.size() != batch.size()) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "text encoder returned %d vectors for %d texts",
                vectors.size(),
                batch.size()));
      }
      for (int i = 0; i < batch.size(); i++) {
        List<TextSlot> group = batch.get(i);
        group.get(0).fresh = true;
        for (TextSlot t : group) {
          t.vector = vectors.get(i);
        }
        recent.put(group.get(0).hash, vectors.get(i));
        stats.duplicateTexts.addAndGet(group.size() - 1);
      }
    }
  }

  private void writerLoop(BlockingQueue<Object> in, PipelineSink sink) throws Exception {
    while (true) {
      Object item = take(in);
      if (item == END) {
        return;
      }
      Prepared p = (Prepared) item;
      List<ImageVector> images = new ArrayList<>(p.slots().size());
      for (Slot s : p.slots()) {
        images.add(new ImageVector(s.ref, s.ordinal, s.vector, s.hash));
      }
      TextSlot t = p.text();
      boolean indexed =
          sink.write(
              new EncodedProduct(
                  p.product(), images, p.contentHash(), t == null ? null : t.vector));
      for (Slot s : p.slots()) {
        if (s.fresh) {
          cache.put(s.hash, s.vector);
        }
      }
      if (t != null && t.fresh) {
        cache.put(t.hash, t.vector);
      }
      if (indexed) {
        stats.productsWritten.incrementAndGet();
        stats.imagesIndexed.addAndGet(images.size());
      }
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Aborted a) {
                // another stage failed first
              } catch (Throwable e) {
                failure.compareAndSet(null, e);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Thrown inside a stage when another stage has failed. */
  private static final class Aborted extends RuntimeException {
    Aborted() {
      super(null, null, false, false);
    }
  }

  private void checkFailure() {
    if (failure.get() != null) {
      throw new Aborted();
    }
  }

  private void put(BlockingQueue<Object> q, Object item) throws InterruptedException {
    while (!q.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
      checkFailure();
    }
  }

  private Object take(BlockingQueue<Object> q) throws InterruptedException {
    while (true) {
      Object item = q.poll(POLL_MS, TimeUnit.MILLISECONDS);
      if (item != null) {
        return item;
      }
      checkFailure();
    }
  }
}
