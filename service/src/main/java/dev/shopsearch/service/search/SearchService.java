package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.RankedProducts;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.facets.FacetCounts;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.fusion.FusionChoice;
import dev.shopsearch.service.fusion.FusionInfo;
import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.fusion.InvalidFusionException;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadPolicy;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.problem.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The query path. Text: admit (bounded, no queue) → encode (cached, batched, deadline-bounded) → on
 * a search thread: spelling (hybrid, lexical: words unknown to the index vocabulary corrected,
 * answered as {@code didYouMean}), kNN with the filters as the child pre-filter, one child per
 * product, BM25 of the corrected text for hybrid and lexical → fusion (the request's override, else
 * the index's calibrated settings, else equal RRF: {@link FusionChoice}) → page → stored fields; a
 * hybrid query with a corrected word is searched again with the corrected text's embedding when the
 * deadline allows. When the service is full or the deadline cannot be met it refuses at once
 * ({@link OverloadedException}, 503) or, with {@code on-overload: lexical}, answers lexical-only
 * with {@code degraded: true}. The engine is a {@link SearchBackend} (embedded Lucene or
 * OpenSearch) searched through one {@link ProductIndexView} per request, whose calls get the
 * request's time left; an engine that cannot answer is a 503 ({@link EngineUnavailableException}).
 * Thread-safe.
 */
public class SearchService {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SearchService.class);
  private final SearchProperties settings;
  private final OverloadProperties overload;
  private final ModelHolder models;
  private final SearchBackend index;
  private final QueryEmbedder embedder;
  private final AdmissionControl admission;
  private final SearchMetrics metrics;
  private final SearchExecutor searchers;
  private final FacetsProperties facetsProperties;
  private final SearchFacets facets;

  public SearchService(
      SearchProperties settings,
      OverloadProperties overload,
      ModelHolder models,
      IndexManager index,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics) {
    this(
        settings,
        overload,
        models,
        index,
        embedder,
        admission,
        searchers,
        metrics,
        FacetsProperties.DEFAULTS);
  }

  /**
   * @param facetsProperties the match set's similarity floor and the facet lists ({@code
   *     shopsearch.facets.*})
   */
  public SearchService(
      SearchProperties settings,
      OverloadProperties overload,
      ModelHolder models,
      IndexManager index,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics,
      FacetsProperties facetsProperties) {
    this(
        settings,
        overload,
        models,
        new LuceneBackend(index),
        embedder,
        admission,
        searchers,
        metrics,
        facetsProperties);
  }

  /**
   * @param backend the engine searched (embedded Lucene or OpenSearch)
   * @param facetsProperties the match set's similarity floor and the facet lists ({@code
   *     shopsearch.facets.*})
   */
  public SearchService(
      SearchProperties settings,
      OverloadProperties overload,
      ModelHolder models,
      SearchBackend backend,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics,
      FacetsProperties facetsProperties) {
    this.facetsProperties = facetsProperties;
    this.facets = new SearchFacets(facetsProperties);
    this.settings = settings;
    this.overload = overload;
    this.searchers = searchers;
    this.models = models;
    this.index = backend;
    this.embedder = embedder;
    this.admission = admission;
    this.metrics = metrics;
  }

  /** A text search. */
  public SearchResponse search(SearchQuery q, Deadline deadline) {
    long start = deadline.startNanos();
    String endpoint = "search";
    AdmissionControl.Permit permit = admission.tryAdmit();
    if (permit == null) {
      return overloaded(q, admission.full(), start);
    }
    try (permit) {
      SearchResponse r = run(q, deadline, start);
      metrics.request(endpoint, q.mode().key(), "ok", System.nanoTime() - start);
      return r;
    } catch (OverloadedException e) {
      return overloaded(q, e, start);
    } catch (BackendUnavailableException e) {
      metrics.request(endpoint, q.mode().key(), "unavailable", System.nanoTime() - start);
      throw new EngineUnavailableException(e);
    }
  }

  private SearchResponse overloaded(SearchQuery q, OverloadedException e, long start) {
    ShedReason reason = e.reason();
    log.debug("refused ({}): {}", reason.tag(), e.getMessage());
    if (overload.onOverload() == OverloadPolicy.LEXICAL) {
      try (AdmissionControl.Permit p = admission.admitDegraded()) {
        SearchQuery lexical = q.withMode(SearchMode.LEXICAL);
        // the original query's fingerprint: its cursors keep working on the degraded answer
        SearchResponse r = runLexicalOnly(lexical, start, reason.tag(), fingerprint(q));
        metrics.degraded(reason);
        metrics.request("search", q.mode().key(), "degraded", System.nanoTime() - start);
        return r;
      } catch (BackendUnavailableException unavailable) {
        throw new EngineUnavailableException(unavailable);
      } catch (OverloadedException full) {
        e = full;
        reason = full.reason();
      }
    }
    metrics.shed(reason);
    metrics.request("search", q.mode().key(), "shed", System.nanoTime() - start);
    throw e;
  }

  private SearchResponse run(SearchQuery q, Deadline deadline, long start) {
    LoadedModel model = q.mode() == SearchMode.LEXICAL ? models.orNull() : models.current();
    if (!index.ready()) {
      index.acquire().close(); // throws NotReadyException with the reason
    }
    StageTimer t = new StageTimer(metrics, start);
    QueryEmbedder.Embedding typed = null;
    if (q.mode() != SearchMode.LEXICAL) {
      t.skip();
      // The encode must leave time for the search after it (measured, like the encode itself).
      typed = embedder.embed(q.text(), deadline, searchers.predictedSearchNanos());
      t.stage("encode");
    }
    QueryEmbedder.Embedding emb = typed;
    SearchResponse r = searchers.run(deadline, () -> lucene(q, null, emb, model, t, deadline));
    if (q.mode() == SearchMode.HYBRID && r.didYouMean() != null) {
      return withCorrectedVector(q, r, deadline, model, t);
    }
    return r;
  }

  /**
   * Hybrid search again with the embedding of the spelling-corrected text, so that the model sees
   * the words the lexical search matched ({@code flroal} means nothing to it), when the deadline
   * leaves time for the encode; else the first answer (typed text encoded) stands. Only queries
   * with a corrected word pay for this; the spelling itself never delays an encode.
   */
  private SearchResponse withCorrectedVector(
      SearchQuery q, SearchResponse first, Deadline deadline, LoadedModel model, StageTimer t) {
    String corrected = first.didYouMean();
    if (!embedder.isCached(corrected) && deadline.remainingNanos() < embedder.recentEncodeNanos()) {
      return first;
    }
    try {
      t.skip();
      QueryEmbedder.Embedding emb =
          embedder.embed(corrected, deadline, searchers.predictedSearchNanos());
      t.stage("encode");
      return searchers.run(deadline, () -> lucene(q, corrected, emb, model, t, deadline));
    } catch (OverloadedException e) {
      return first; // the deadline ran out meanwhile: the answer for the typed text is complete
    }
  }

  /**
   * The Lucene part of a text search (on a search thread, which owns the index reference).
   *
   * @param corrected the spelling-corrected text for the lexical part, or null to correct the query
   *     text here (hybrid and lexical)
   * @param emb the query embedding (null for lexical)
   * @param deadline the request's deadline: with less than three quarters of it left, only
   *     remembered corrections are applied (no new automaton is built for an unknown word)
   */
  private SearchResponse lucene(
      SearchQuery q,
      String corrected,
      QueryEmbedder.Embedding emb,
      LoadedModel model,
      StageTimer t,
      Deadline deadline)
      throws IOException {
    try (ProductIndexView h = index.acquire(deadline::remainingNanos)) {
      t.skip(); // time queued for a search thread is not a stage
      FilterFields.check(h, q.filters());
      if (corrected == null && q.mode() != SearchMode.VECTOR) {
        boolean slack = deadline.remainingNanos() >= deadline.budgetNanos() / 4 * 3;
        corrected = h.correctSpelling(q.text(), slack).orElse(null);
        t.stage("spelling");
      }
      String text = corrected == null ? q.text() : corrected;
      RankedProducts knn = null;
      if (emb != null) {
        knn = knn(h, emb.vector(), q.filters(), null);
        t.stage("knn");
      }
      RankedProducts lexical = null;
      if (q.mode() != SearchMode.VECTOR) {
        lexical = lexical(h, text, q.filters());
        t.stage("lexical");
      }
      FusionChoice fusion =
          knn != null && lexical != null ? fusion(q.fusion(), h, SemanticList.available(h)) : null;
      FusionSettings fusionSettings = fusion == null ? null : fusion.settings();
      FusionInfo fusionInfo = fusion == null ? null : fusion.info();
      boolean semantic = fusionSettings != null && fusionSettings.semanticWeight() > 0;
      RankedProducts meaning = null;
      if (semantic) {
        meaning = semantic(h, emb.vector(), q.filters());
        t.stage("semantic");
      }
      SearchFacets.Matcher matcher =
          f ->
              MatchSet.of(
                  fusionSettings,
                  emb == null ? null : knn(h, emb.vector(), f, null),
                  q.mode() == SearchMode.VECTOR ? null : lexical(h, text, f),
                  semantic ? semantic(h, emb.vector(), f) : null);
      return assemble(
          h,
          model,
          new Asked(q.text(), q.mode().key(), q),
          new Matching(MatchSet.of(fusionSettings, knn, lexical, meaning), matcher, fingerprint(q)),
          t,
          new Provenance(emb != null && emb.cached(), null, corrected, fusionInfo));
    }
  }

  /**
   * Identifies a text query in its cursors: text, mode and filters, hashed from strings and numbers
   * only (no identity hash such as an enum's), so a cursor is accepted by every replica and after a
   * restart.
   */
  private static int fingerprint(SearchQuery q) {
    return Objects.hash(q.text(), q.mode().key(), q.filters());
  }

  /** Every BM25 match among the product documents, best first (the lexical match set). */
  private static RankedProducts lexical(ProductIndexView h, String text, SearchFilters filters)
      throws IOException {
    return h.lexical(text, filters.product());
  }

  /** The kNN candidates ({@code num-candidates}) that reach the similarity floor. */
  private RankedProducts knn(
      ProductIndexView h, float[] vector, SearchFilters filters, String excludeProduct)
      throws IOException {
    return MatchSet.aboveFloor(
        h.knn(vector, filters.product(), excludeProduct, settings.numCandidates()),
        facetsProperties.minVectorScore());
  }

  /** The semantic list's candidates that pass the filters and reach the similarity floor. */
  private RankedProducts semantic(ProductIndexView h, float[] vector, SearchFilters filters)
      throws IOException {
    return SemanticList.search(
        h, vector, filters, settings.numCandidates(), facetsProperties.minVectorScore());
  }

  private SearchResponse runLexicalOnly(SearchQuery q, long start, String reason, int fingerprint) {
    try (ProductIndexView h = index.acquire()) {
      StageTimer t = new StageTimer(metrics, start);
      FilterFields.check(h, q.filters());
      // overloaded: only remembered corrections, no new automaton
      String corrected = h.correctSpelling(q.text(), false).orElse(null);
      t.stage("spelling");
      String text = corrected == null ? q.text() : corrected;
      RankedProducts lexical = lexical(h, text, q.filters());
      t.stage("lexical");
      return assemble(
          h,
          models.orNull(),
          new Asked(q.text(), "lexical", q),
          new Matching(
              MatchSet.of(null, null, lexical),
              f -> MatchSet.of(null, null, lexical(h, text, f)),
              fingerprint),
          t,
          new Provenance(false, reason, corrected, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * kNN with a given query vector (image search, similar products), bounded like text searches.
   *
   * @param endpoint metric tag ({@code image}, {@code similar})
   * @param vector unit-norm query vector, or a supplier run under admission (may encode)
   * @param excludeProduct product id to leave out, or null
   */
  public SearchResponse searchByVector(
      String endpoint,
      Supplier<float[]> vector,
      String excludeProduct,
      int k,
      int offset,
      SearchFilters filters,
      Deadline deadline) {
    return searchByVector(
        endpoint, vector, excludeProduct, k, offset, filters, ResultOptions.DEFAULT, deadline);
  }

  /**
   * kNN with a given query vector, as {@link #searchByVector(String, Supplier, String, int, int,
   * SearchFilters, Deadline)}, with a sort, a cursor and facets.
   */
  public SearchResponse searchByVector(
      String endpoint,
      Supplier<float[]> vector,
      String excludeProduct,
      int k,
      int offset,
      SearchFilters filters,
      ResultOptions options,
      Deadline deadline) {
    long start = deadline.startNanos();
    AdmissionControl.Permit permit = admission.tryAdmit();
    if (permit == null) {
      metrics.shed(ShedReason.IN_FLIGHT_LIMIT);
      metrics.request(endpoint, "vector", "shed", System.nanoTime() - start);
      throw admission.full();
    }
    try (permit) {
      StageTimer t = new StageTimer(metrics, start);
      float[] v = vector.get();
      t.stage("encode");
      SearchQuery q = new SearchQuery(null, k, offset, SearchMode.VECTOR, filters, options);
      int fingerprint = Objects.hash(endpoint, Arrays.hashCode(v), excludeProduct, filters);
      SearchResponse r =
          searchers.run(
              deadline,
              () -> {
                try (ProductIndexView h = index.acquire(deadline::remainingNanos)) {
                  t.skip();
                  FilterFields.check(h, filters);
                  RankedProducts knn = knn(h, v, filters, excludeProduct);
                  t.stage("knn");
                  return assemble(
                      h,
                      models.orNull(),
                      new Asked(null, endpoint, q),
                      new Matching(
                          MatchSet.of(null, knn, null),
                          f -> MatchSet.of(null, knn(h, v, f, excludeProduct), null),
                          fingerprint),
                      t,
                      Provenance.PLAIN);
                }
              });
      metrics.request(endpoint, "vector", "ok", System.nanoTime() - start);
      return r;
    } catch (BackendUnavailableException e) {
      metrics.request(endpoint, "vector", "unavailable", System.nanoTime() - start);
      throw new EngineUnavailableException(e);
    } catch (OverloadedException e) {
      metrics.shed(e.reason());
      metrics.request(endpoint, "vector", "shed", System.nanoTime() - start);
      throw e;
    }
  }

  /**
   * Products similar to one product, from its stored image vectors (no encode).
   *
   * @throws NotFoundException if the product is not in the index
   */
  public SearchResponse similar(
      String productId, int k, int offset, SearchFilters filters, Deadline deadline) {
    return similar(productId, k, offset, filters, ResultOptions.DEFAULT, deadline);
  }

  /** Products similar to one product, with a sort, a cursor and facets. */
  public SearchResponse similar(
      String productId,
      int k,
      int offset,
      SearchFilters filters,
      ResultOptions options,
      Deadline deadline) {
    float[] vector;
    try (ProductIndexView h = index.acquire()) {
      vector = h.productVector(productId);
      if (vector == null) {
        throw new NotFoundException(
            h.productExists(productId)
                ? "product '" + productId + "' has no image vector"
                : "no product with id '" + productId + "' in index generation " + h.generation());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (BackendUnavailableException e) {
      metrics.request(
          "similar", "vector", "unavailable", System.nanoTime() - deadline.startNanos());
      throw new EngineUnavailableException(e);
    }
    float[] v = vector;
    return searchByVector("similar", () -> v, productId, k, offset, filters, options, deadline);
  }

  /**
   * What the response echoes of the request.
   *
   * @param text the query text (null for a search by vector)
   * @param mode the mode's key, or the endpoint of a search by vector
   * @param q k, offset, filters and result options of the request
   */
  private record Asked(String text, String mode, SearchQuery q) {}

  /**
   * The match set of the request and how to recompute it.
   *
   * @param matches the match set of the request
   * @param matcher the match set of this query under other filters (facets re-run it without one
   *     facet's selection)
   * @param fingerprint identifies the query in its cursors
   */
  private record Matching(MatchSet matches, SearchFacets.Matcher matcher, int fingerprint) {}

  /**
   * How the answer came about, as the response reports it.
   *
   * @param cached the query embedding came from the cache
   * @param degradedReason why the answer is lexical-only, or null
   * @param didYouMean the corrected query, or null
   * @param fusion how the two lists were fused (hybrid), or null
   */
  private record Provenance(
      boolean cached, String degradedReason, String didYouMean, FusionInfo fusion) {
    static final Provenance PLAIN = new Provenance(false, null, null, null);
  }

  /**
   * The response: the match set (once), its total, the page in the requested order, the next
   * cursor, and the facets when asked for.
   */
  private SearchResponse assemble(
      ProductIndexView h,
      LoadedModel model,
      Asked asked,
      Matching matching,
      StageTimer t,
      Provenance how)
      throws IOException {
    SearchQuery q = asked.q();
    MatchSet matches = matching.matches();
    ResultOptions options = q.options();
    Cursor after = Cursor.decode(options.cursor(), options.sort(), matching.fingerprint());
    ResultPages.Page page =
        ResultPages.page(
            h,
            matches,
            options.sort(),
            after,
            after == null ? q.offset() : 0,
            q.k(),
            matching.fingerprint());
    t.stage("fusion");
    FacetCounts counts = null;
    if (options.facets()) {
      counts = facets.count(h, q.filters(), matches, matching.matcher());
      t.stage("facets");
    }
    List<SearchHit> hits =
        ResultHits.hits(
            h,
            page.hits(),
            matches.vector(),
            ResultHits.ranks(matches.vector(), page.hits()),
            ResultHits.ranks(matches.lexical(), page.hits()),
            ResultHits.ranks(matches.semantic(), page.hits()));
    t.stage("fetch");
    SearchResponse.ModelInfo info =
        model == null
            ? null
            : new SearchResponse.ModelInfo(
                model.manifest().name(), model.manifest().version(), model.hash());
    return new SearchResponse(
        asked.text(),
        asked.mode(),
        q.k(),
        q.offset(),
        matches.size(),
        hits,
        t.finish(),
        info,
        h.generation(),
        how.cached(),
        how.degradedReason() != null,
        how.degradedReason(),
        how.didYouMean(),
        matches.size(),
        options.sort().key(),
        page.nextCursor(),
        counts,
        how.fusion());
  }

  /** The request's override over the served generation's calibrated fusion over equal RRF. */
  private FusionChoice fusion(FusionOverride override, ProductIndexView h, boolean semanticList) {
    try {
      return FusionChoice.resolve(override, h.metadata(), settings.rrfK(), semanticList);
    } catch (InvalidFusionException e) {
      throw new InvalidRequestException(e.parameter(), e.getMessage());
    }
  }
}
