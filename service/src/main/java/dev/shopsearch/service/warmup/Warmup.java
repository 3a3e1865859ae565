package dev.shopsearch.service.warmup;

import dev.shopsearch.service.image.ImageQueryService;
import dev.shopsearch.service.image.UploadProperties;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.search.SearchExecutor;
import dev.shopsearch.service.search.SearchFilters;
import dev.shopsearch.service.search.SearchMode;
import dev.shopsearch.service.search.SearchQuery;
import dev.shopsearch.service.search.SearchService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  /** Where the API server listens, once it does. */
  @FunctionalInterface
  public interface ApiBase {
    /**
     * @return the API's base URI ({@code http://host:port/context/}), waiting up to {@code max} for
     *     the server to start; empty when there is no web server
     */
    Optional<URI> await(Duration max);
  }

  private final WarmupProperties config;
  private final long maxUploadBytes;
  private final SearchService search;
  private final ImageQueryService images;
  private final QueryEmbedder embedder;
  private final SearchExecutor searchers;
  private final NanoClock clock;
  private final ApiBase api;
  private final AtomicInteger done = new AtomicInteger();
  private volatile boolean finished;
  private volatile String status = "pending";

  public Warmup(
      WarmupProperties config,
      UploadProperties upload,
      SearchService search,
      ImageQueryService images,
      QueryEmbedder embedder,
      SearchExecutor searchers,
      ApiBase api,
      NanoClock clock) {
    this.config = config;
    this.api = api;
    this.clock = clock;
    this.maxUploadBytes = upload.maxBytes();
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
    return config.textQueries() + config.images() + config.httpRounds();
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
    int skipped = 0; // steps left out for want of a photo or an API server, not of time
    Stats text = new Stats();
    for (int i = 0; i < config.textQueries() && clock.nanoTime() < end; i++) {
      SearchQuery q = textQuery(i);
      text.time(() -> search.search(q, budget(end)));
      done.incrementAndGet();
    }
    Stats photo = new Stats();
    boolean photos = config.images() > 0 && clock.nanoTime() < end;
    byte[] jpeg = photos ? photo() : null;
    if (photos && jpeg == null) {
      skipped += config.images();
    }
    if (jpeg != null) {
      for (int i = 0; i < config.images() && clock.nanoTime() < end; i++) {
        Deadline d = budget(end);
        photo.time(
            () ->
                search.searchByVector(
                    "image", () -> images.embedImage(jpeg, d), null, 10, 0, SearchFilters.NONE, d));
        done.incrementAndGet();
      }
    }
    Stats http = new Stats();
    if (config.httpRounds() > 0 && clock.nanoTime() < end) {
      Optional<URI> base = api.await(Duration.ofNanos(Math.max(0, end - clock.nanoTime())));
      if (base.isEmpty()) {
        log.info("warm-up: no API server to send HTTP requests to");
        skipped += config.httpRounds();
      } else {
        LoopbackRequests loopback = new LoopbackRequests(base.get());
        try {
          for (int i = 0; i < config.httpRounds() && clock.nanoTime() < end; i++) {
            for (HttpRequest r : loopback.round(i, jpeg)) {
              http.time(() -> loopback.send(r));
            }
            done.incrementAndGet();
          }
        } finally {
          loopback.close();
        }
      }
    }
    // The cold calls above say nothing about serving speed: start the estimates afresh.
    embedder.forgetEstimates();
    searchers.forgetEstimate();
    boolean cut = done.get() + skipped < total();
    status =
        String.format(
            Locale.ROOT,
            "%s in %d ms: %d text searches (first %s, last %s), %d photo searches (first %s,"
                + " last %s), %d HTTP requests (first %s, last %s), %d failed%s",
            cut ? "cut short at max-time" : "done",
            (clock.nanoTime() - t0) / 1_000_000,
            text.count,
            text.first(),
            text.last(),
            photo.count,
            photo.first(),
            photo.last(),
            http.count,
            http.first(),
            http.last(),
            text.failed + photo.failed + http.failed,
            lastError(text, photo, http));
    if (cut || text.failed + photo.failed + http.failed > 0) {
      log.warn("warm-up {}", status);
    } else {
      log.info("warm-up {}", status);
    }
    finished = true;
  }

  private static String lastError(Stats... all) {
    String last = null;
    for (Stats s : all) {
      if (s.lastError != null) {
        last = s.lastError;
      }
    }
    return last == null ? "" : "; last error: " + last;
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

  /** One warm-up call; its result does not matter, only that it ran. */
  @FunctionalInterface
  private interface Call {
    void call() throws Exception;
  }

  /** Latencies of one kind of warm-up search. */
  private final class Stats {
    int count;
    int failed;
    long firstNanos = -1;
    long lastNanos = -1;
    String lastError;

    void time(Call search) {
      long t = clock.nanoTime();
      try {
        search.call();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
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
