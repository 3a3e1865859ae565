package dev.shopsearch.service.warmup;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.image.ImageQueryService;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.search.SearchExecutor;
import dev.shopsearch.service.search.SearchFilters;
import dev.shopsearch.service.search.SearchMode;
import dev.shopsearch.service.search.SearchQuery;
import dev.shopsearch.service.search.SearchService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queries through the service's own query path before readiness turns UP, so that the first
 * users do not pay for cold code (issue 12, item 5): tokenizer and text tower (queries of several
 * lengths, English and Chinese), kNN with and without a pre-filter, BM25, fusion and stored fields
 * (hybrid, vector and lexical mode in turn), and JPEG decode + preprocessing + image tower + kNN (a
 * synthetic 1080×1350 progressive JPEG). Each query has its own text, so none is a cache hit.
 *
 * <p>Warm-up searches are ordinary searches (counted in the request metrics) with a budget of the
 * remaining {@code max-time} instead of the request deadline; a failing one is logged and the
 * warm-up goes on. Afterwards the shedding estimates forget the cold calls. Thread-safe: {@link
 * #run()} runs once, on the serving-load thread; {@link #finished()} and {@link #status()} may be
 * read at any time.
 */
public final class Warmup implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Warmup.class);

  static final List<String> TEXTS =
      List.of(
          "red floral dress",
          "black leather handbag with gold chain",
          "men navy blue cotton shirt",
          "white running shoes",
          "wool winter coat",
          "silver analog watch with steel strap for women",
          "红色碎花连衣裙",
          "striped t-shirt");
  private static final SearchMode[] MODES = {
    SearchMode.HYBRID, SearchMode.VECTOR, SearchMode.LEXICAL
  };

  private final ServiceProperties.Warmup config;
  private final long maxUploadBytes;
  private final SearchService search;
  private final ImageQueryService images;
  private final QueryEmbedder embedder;
  private final SearchExecutor searchers;
  private final NanoClock clock;
  private final AtomicInteger done = new AtomicInteger();
  private volatile boolean finished;
  private volatile String status = "pending";

  public Warmup(
      ServiceProperties properties,
      SearchService search,
      ImageQueryService images,
      QueryEmbedder embedder,
      SearchExecutor searchers,
      NanoClock clock) {
    this.config = properties.warmup();
    this.clock = clock;
    this.maxUploadBytes = properties.upload().maxBytes();
    this.search = search;
    this.images = images;
    this.embedder = embedder;
    this.searchers = searchers;
  }

  /** Whether the warm-up is over (done, cut short at {@code max-time}, or disabled). */
  public boolean finished() {
    return finished;
  }

  /** One line for the readiness details. */
  public String status() {
    return finished ? status : status + " (" + done.get() + " of " + total() + ")";
  }

  private int total() {
    return config.textQueries() + config.images();
  }

  /** Runs the warm-up once; returns when it is over. */
  @Override
  public synchronized void run() {
    if (finished) {
      return;
    }
    if (!config.enabled() || total() == 0) {
      status = "disabled";
      finished = true;
      return;
    }
    status = "running";
    long t0 = clock.nanoTime();
    long end = t0 + config.maxTime().toNanos();
    Stats text = new Stats();
    for (int i = 0; i < config.textQueries() && clock.nanoTime() < end; i++) {
      SearchQuery q = textQuery(i);
      text.time(() -> search.search(q, budget(end)));
      done.incrementAndGet();
    }
    Stats photo = new Stats();
    if (config.images() > 0 && clock.nanoTime() < end) {
      byte[] jpeg = photo();
      for (int i = 0; i < config.images() && jpeg != null && clock.nanoTime() < end; i++) {
        Deadline d = budget(end);
        photo.time(
            () ->
                search.searchByVector(
                    "image", () -> images.embedImage(jpeg, d), null, 10, 0, SearchFilters.NONE, d));
        done.incrementAndGet();
      }
    }
    // The cold calls above say nothing about serving speed: start the estimates afresh.
    embedder.forgetEstimates();
    searchers.forgetEstimate();
    boolean cut = done.get() < total();
    status =
        String.format(
            Locale.ROOT,
            "%s in %d ms: %d text searches (first %s, last %s), %d photo searches (first %s,"
                + " last %s), %d failed%s",
            cut ? "cut short at max-time" : "done",
            (clock.nanoTime() - t0) / 1_000_000,
            text.count,
            text.first(),
            text.last(),
            photo.count,
            photo.first(),
            photo.last(),
            text.failed + photo.failed,
            text.lastError == null && photo.lastError == null
                ? ""
                : "; last error: " + (photo.lastError != null ? photo.lastError : text.lastError));
    if (cut || text.failed + photo.failed > 0) {
      log.warn("warm-up {}", status);
    } else {
      log.info("warm-up {}", status);
    }
    finished = true;
  }

  static SearchQuery textQuery(int i) {
    String text = "warmup " + i + " " + TEXTS.get(i % TEXTS.size());
    SearchMode mode = MODES[i % MODES.length];
    // Every fourth query with a price range: the filtered kNN and BM25 paths.
    SearchFilters filters =
        i % 4 == 3
            ? SearchFilters.of(List.of(), List.of(), 0.0, 1_000_000.0, null, Map.of())
            : SearchFilters.NONE;
    return new SearchQuery(text, 10, 0, mode, filters);
  }

  private byte[] photo() {
    try {
      return SyntheticPhoto.jpeg(1080, 1350, maxUploadBytes, 42);
    } catch (RuntimeException e) {
      log.warn("warm-up: no photo searches: {}", e.getMessage());
      return null;
    }
  }

  private Deadline budget(long endNanos) {
    return Deadline.start(Duration.ofNanos(Math.max(1, endNanos - clock.nanoTime())), null, clock);
  }

  /** Latencies of one kind of warm-up search. */
  private final class Stats {
    int count;
    int failed;
    long firstNanos = -1;
    long lastNanos = -1;
    String lastError;

    void time(Runnable search) {
      long t = clock.nanoTime();
      try {
        search.run();
      } catch (RuntimeException e) {
        failed++;
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.debug("warm-up search failed", e);
      }
      long took = clock.nanoTime() - t;
      if (count == 0) {
        firstNanos = took;
      }
      lastNanos = took;
      count++;
    }

    String first() {
      return firstNanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", firstNanos / 1e6);
    }

    String last() {
      return lastNanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", lastNanos / 1e6);
    }
  }
}
