package dev.shopsearch.service.config;

import dev.shopsearch.core.encode.ExecutionProvider;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * All service settings under the {@code shopsearch} prefix, bound once at startup and validated (a
 * bad value fails the start with a message naming the property and the limit).
 *
 * @param model model bundle and execution provider
 * @param index index generations root and hot-swap watch
 * @param search query limits and ranking knobs
 * @param overload deadlines, bounded in-flight work and what to do when full
 * @param cache query-embedding cache
 * @param batching dynamic micro-batching of concurrent text encodes
 * @param upload image upload limits
 * @param imageDecode the bounded pool that decodes and preprocesses query images
 * @param cors cross-origin settings for {@code /v1/**}
 * @param consistency image–text consistency check
 * @param warmup queries run before readiness turns UP
 */
@Validated
@ConfigurationProperties("shopsearch")
public record ServiceProperties(
    @Valid @DefaultValue Model model,
    @Valid @DefaultValue Index index,
    @Valid @DefaultValue Search search,
    @Valid @DefaultValue Overload overload,
    @Valid @DefaultValue Cache cache,
    @Valid @DefaultValue Batching batching,
    @Valid @DefaultValue Upload upload,
    @Valid @DefaultValue ImageDecode imageDecode,
    @Valid @DefaultValue Cors cors,
    @Valid @DefaultValue Consistency consistency,
    @Valid @DefaultValue Warmup warmup) {

  /**
   * @param bundleDir model bundle directory ({@code model.json}, towers, tokenizer)
   * @param provider {@code cpu} or {@code cuda} (any case)
   * @param deviceId CUDA device id
   * @param allowCpuFallback run on CPU (logged, reported) when CUDA cannot be loaded
   * @param intraOpThreads ONNX Runtime intra-op threads, 0 = cores
   */
  public record Model(
      Path bundleDir,
      @DefaultValue("cpu") ExecutionProvider provider,
      @DefaultValue("0") @Min(0) int deviceId,
      @DefaultValue("false") boolean allowCpuFallback,
      @DefaultValue("0") @Min(0) @Max(256) int intraOpThreads) {}

  /**
   * @param root index root holding {@code gen-NNNNNN/} directories and the {@code CURRENT} pointer
   * @param watchInterval how often {@code CURRENT} is checked for a new generation
   * @param catalogRoot directory the catalog's relative image paths resolve against (served by
   *     {@code /images/**}); null disables image serving
   */
  public record Index(
      Path root, @DefaultValue("2s") @NotNull Duration watchInterval, Path catalogRoot) {}

  /**
   * @param defaultK results per page when {@code k} is absent
   * @param maxK largest accepted {@code k}
   * @param maxOffset largest accepted {@code offset}
   * @param maxQueryLength longest accepted query in characters
   * @param numCandidates HNSW candidates per kNN search (at least {@code offset + k})
   * @param rrfK reciprocal-rank-fusion constant (score = sum of 1 / (rrfK + rank))
   * @param defaultMode mode when none is given
   */
  public record Search(
      @DefaultValue("10") @Min(1) @Max(1000) int defaultK,
      @DefaultValue("100") @Min(1) @Max(1000) int maxK,
      @DefaultValue("1000") @Min(0) @Max(10000) int maxOffset,
      @DefaultValue("256") @Min(1) @Max(4096) int maxQueryLength,
      @DefaultValue("100") @Min(1) @Max(10000) int numCandidates,
      @DefaultValue("60") @Min(1) @Max(1000) int rrfK,
      @DefaultValue("hybrid") @NotNull dev.shopsearch.service.search.SearchMode defaultMode) {}

  /**
   * @param deadline default per-request deadline; {@code X-Request-Deadline-Ms} may only tighten it
   * @param maxInFlight searches admitted at once; the rest are answered at once (never queued)
   * @param maxEncodeConcurrency encoder calls running at once (batches count as one)
   * @param onOverload {@code shed}: 503 + Retry-After; {@code lexical}: lexical-only results with
   *     {@code degraded: true}
   * @param maxDegradedInFlight lexical-only fallbacks running at once (beyond that: 503)
   * @param retryAfter value of the Retry-After header on 503
   * @param searchThreads platform threads running the Lucene part of searches (0 = cores)
   * @param estimateWindow how long a measured encode or search duration counts for the shedding
   *     estimate; after a load change the estimate follows within this window
   */
  public record Overload(
      @DefaultValue("100ms") @NotNull Duration deadline,
      @DefaultValue("32") @Min(1) @Max(10000) int maxInFlight,
      @DefaultValue("2") @Min(1) @Max(256) int maxEncodeConcurrency,
      @DefaultValue("shed") @NotNull OverloadPolicy onOverload,
      @DefaultValue("16") @Min(1) @Max(10000) int maxDegradedInFlight,
      @DefaultValue("1s") @NotNull Duration retryAfter,
      @DefaultValue("0") @Min(0) @Max(1024) int searchThreads,
      @DefaultValue("2s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 10)
          Duration estimateWindow) {}

  /** What an over-full or late request gets. */
  public enum OverloadPolicy {
    SHED,
    LEXICAL
  }

  /**
   * @param enabled cache query embeddings
   * @param maxSize entries kept
   * @param ttl time after write an entry expires
   */
  public record Cache(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10000") @Min(1) @Max(10_000_000) long maxSize,
      @DefaultValue("10m") @NotNull Duration ttl) {}

  /**
   * @param enabled batch concurrent text encodes (null: on for CUDA, off for CPU)
   * @param maxBatch largest batch
   * @param maxWait how long the first text of a batch waits for company
   * @param queueCapacity texts waiting for a batch at most; a full queue sheds
   */
  public record Batching(
      Boolean enabled,
      @DefaultValue("32") @Min(1) @Max(1024) int maxBatch,
      @DefaultValue("1ms") @NotNull Duration maxWait,
      @DefaultValue("256") @Min(1) @Max(100000) int queueCapacity) {}

  /**
   * @param maxBytes largest accepted image, uploaded or fetched (larger: 413)
   * @param maxPixels largest accepted image in pixels (width × height), read from its header before
   *     any decoding (larger: 413)
   * @param allowUrlFetch allow {@code POST /v1/search/image} with an http(s) URL (fetched by the
   *     core {@code ImageSource} with its SSRF rules)
   * @param urlTimeout connect and read timeout of one URL fetch
   * @param allowedHosts when non-empty, the only hosts an image URL may name
   * @param allowPrivateAddresses allow URLs that resolve to loopback/private addresses (tests only)
   */
  public record Upload(
      @DefaultValue("8388608") @Min(1024) @Max(268435456) long maxBytes,
      @DefaultValue("40000000") @Min(1) @Max(2147483631) long maxPixels,
      @DefaultValue("true") boolean allowUrlFetch,
      @DefaultValue("2s") @NotNull Duration urlTimeout,
      @DefaultValue({}) List<String> allowedHosts,
      @DefaultValue("false") boolean allowPrivateAddresses) {}

  /**
   * Query-image decoding and preprocessing run on their own threads (a bulkhead): never on request
   * threads, never holding a search admission slot, so uploads cannot starve text search of CPU or
   * of slots.
   *
   * @param threads platform threads decoding images (0 = half the cores, at least 1)
   * @param queueCapacity images waiting for a thread at most; beyond that an image is refused at
   *     once (503); one still waiting at its deadline is dropped
   */
  public record ImageDecode(
      @DefaultValue("0") @Min(0) @Max(256) int threads,
      @DefaultValue("4") @Min(0) @Max(10000) int queueCapacity) {}

  /**
   * @param allowedOrigins origins allowed to call {@code /v1/**}; empty = no CORS
   */
  public record Cors(@DefaultValue({}) List<String> allowedOrigins) {}

  /**
   * @param threshold cosine below which an image and a text are flagged as inconsistent
   */
  public record Consistency(
      @DefaultValue("0.2") @DecimalMin("-1.0") @DecimalMax("1.0") double threshold) {}

  /**
   * Before readiness turns UP, the service runs queries through its own query path, then a few over
   * HTTP on loopback, so that the first users do not pay for cold code: tokenizer, text and image
   * towers, kNN, BM25, fusion, stored fields and the web layer, JIT-compiled. Readiness turns UP
   * after {@code maxTime} at the latest.
   *
   * @param enabled run the warm-up (off: readiness as soon as model and index are loaded)
   * @param textQueries text searches, rotating hybrid, vector and lexical mode with and without
   *     filters
   * @param images searches by a synthetic 1080×1350 JPEG photo (decode, preprocess, image tower,
   *     kNN)
   * @param httpRounds rounds of real HTTP requests to the API port over loopback (every endpoint
   *     kind once per round: results, a problem detail, JSON body, multipart upload)
   * @param maxTime longest the warm-up may delay readiness
   */
  public record Warmup(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("24") @Min(0) @Max(10000) int textQueries,
      @DefaultValue("4") @Min(0) @Max(1000) int images,
      @DefaultValue("3") @Min(0) @Max(1000) int httpRounds,
      @DefaultValue("60s") @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 30)
          Duration maxTime) {}
}
