package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.index.IndexHandle;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.spelling.SpellCorrector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * The query path. Text: admit (bounded, no queue) → encode (cached, batched, deadline-bounded) → on
 * a search thread: spelling (hybrid, lexical: words unknown to the index vocabulary corrected,
 * answered as {@code didYouMean}), kNN with the filters as the child pre-filter, one child per
 * product, BM25 of the corrected text for hybrid and lexical → reciprocal-rank fusion → page →
 * stored fields; a hybrid query with a corrected word is searched again with the corrected text's
 * embedding when the deadline allows. When the service is full or the deadline cannot be met it
 * refuses at once ({@link OverloadedException}, 503) or, with {@code on-overload: lexical}, answers
 * lexical-only with {@code degraded: true}. Thread-safe.
 */
public class SearchService {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SearchService.class);
  private final ServiceProperties properties;
  private final ModelHolder models;
  private final IndexManager index;
  private final QueryEmbedder embedder;
  private final AdmissionControl admission;
  private final SearchMetrics metrics;
  private final SearchExecutor searchers;
  private final LuceneQueries queries = new LuceneQueries();
  private final SpellCorrector speller = new SpellCorrector();

  public SearchService(
      ServiceProperties properties,
      ModelHolder models,
      IndexManager index,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics) {
    this.properties = properties;
    this.searchers = searchers;
    this.models = models;
    this.index = index;
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
    }
  }

  private SearchResponse overloaded(SearchQuery q, OverloadedException e, long start) {
    String reason = e.reason().name().toLowerCase(Locale.ROOT);
    log.debug("refused ({}): {}", reason, e.getMessage());
    if (properties.overload().onOverload() == ServiceProperties.OverloadPolicy.LEXICAL) {
      try (AdmissionControl.Permit p = admission.admitDegraded()) {
        SearchQuery lexical =
            new SearchQuery(q.text(), q.k(), q.offset(), SearchMode.LEXICAL, q.filters());
        SearchResponse r = runLexicalOnly(lexical, start, reason);
        metrics.degraded(reason);
        metrics.request("search", q.mode().key(), "degraded", System.nanoTime() - start);
        return r;
      } catch (OverloadedException full) {
        e = full;
        reason = full.reason().name().toLowerCase(Locale.ROOT);
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
    try (IndexHandle h = index.acquire()) {
      t.skip(); // time queued for a search thread is not a stage
      FilterFields.check(h.searcher().getIndexReader(), q.filters());
      if (corrected == null && q.mode() != SearchMode.VECTOR) {
        boolean slack = deadline.remainingNanos() >= deadline.budgetNanos() / 4 * 3;
        corrected =
            speller
                .correct(h.searcher().getIndexReader(), h.metadata(), q.text(), slack)
                .orElse(null);
        t.stage("spelling");
      }
      int window = window(q.offset(), q.k());
      IndexSearch.Ranked knn = null;
      if (emb != null) {
        knn = IndexSearch.knn(h, emb.vector(), LuceneQueries.knnFilter(q.filters()), window);
        t.stage("knn");
      }
      IndexSearch.Ranked lexical = null;
      if (q.mode() != SearchMode.VECTOR) {
        lexical = lexical(h, corrected == null ? q.text() : corrected, q.filters(), window);
        t.stage("lexical");
      }
      return assemble(
          h,
          model,
          q.text(),
          q.mode().key(),
          q.k(),
          q.offset(),
          knn,
          lexical,
          t,
          emb != null && emb.cached(),
          null,
          corrected);
    }
  }

  /** BM25 over product documents. */
  private IndexSearch.Ranked lexical(IndexHandle h, String text, SearchFilters filters, int window)
      throws IOException {
    Query lq = queries.lexical(text, filters, h.metadata());
    return lq == null ? emptyRanked() : IndexSearch.lexical(h, lq, window);
  }

  private SearchResponse runLexicalOnly(SearchQuery q, long start, String reason) {
    try (IndexHandle h = index.acquire()) {
      StageTimer t = new StageTimer(metrics, start);
      FilterFields.check(h.searcher().getIndexReader(), q.filters());
      // overloaded: only remembered corrections, no new automaton
      String corrected =
          speller
              .correct(h.searcher().getIndexReader(), h.metadata(), q.text(), false)
              .orElse(null);
      t.stage("spelling");
      IndexSearch.Ranked lexical =
          lexical(
              h, corrected == null ? q.text() : corrected, q.filters(), window(q.offset(), q.k()));
      t.stage("lexical");
      return assemble(
          h,
          models.orNull(),
          q.text(),
          "lexical",
          q.k(),
          q.offset(),
          null,
          lexical,
          t,
          false,
          reason,
          corrected);
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
    long start = deadline.startNanos();
    AdmissionControl.Permit permit = admission.tryAdmit();
    if (permit == null) {
      metrics.shed("in_flight_limit");
      metrics.request(endpoint, "vector", "shed", System.nanoTime() - start);
      throw admission.full();
    }
    try (permit) {
      StageTimer t = new StageTimer(metrics, start);
      float[] v = vector.get();
      t.stage("encode");
      Query childFilter = childFilter(filters, excludeProduct);
      SearchResponse r =
          searchers.run(
              deadline,
              () -> {
                try (IndexHandle h = index.acquire()) {
                  t.skip();
                  FilterFields.check(h.searcher().getIndexReader(), filters);
                  IndexSearch.Ranked ranked = IndexSearch.knn(h, v, childFilter, window(offset, k));
                  t.stage("knn");
                  return assemble(
                      h,
                      models.orNull(),
                      null,
                      endpoint,
                      k,
                      offset,
                      ranked,
                      null,
                      t,
                      false,
                      null,
                      null);
                }
              });
      metrics.request(endpoint, "vector", "ok", System.nanoTime() - start);
      return r;
    } catch (OverloadedException e) {
      metrics.shed(e.reason().name());
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
    float[] vector;
    try (IndexHandle h = index.acquire()) {
      vector = IndexSearch.productVector(h, productId);
      if (vector == null) {
        throw new NotFoundException(
            IndexSearch.productExists(h, productId)
                ? "product '" + productId + "' has no image vector"
                : "no product with id '" + productId + "' in index generation " + h.generation());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    float[] v = vector;
    return searchByVector("similar", () -> v, productId, k, offset, filters, deadline);
  }

  /** {@link LuceneQueries#knnFilter}, plus the excluded product's own images when given. */
  private static Query childFilter(SearchFilters filters, String excludeProduct) {
    if (excludeProduct == null) {
      return LuceneQueries.knnFilter(filters);
    }
    BooleanQuery.Builder child = new BooleanQuery.Builder();
    child.add(LuceneQueries.filtered(IndexSchema.TYPE_IMAGE, filters), Occur.FILTER);
    child.add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, excludeProduct)), Occur.MUST_NOT);
    return child.build();
  }

  private int window(int offset, int k) {
    return Math.max(offset + k, Math.min(properties.search().numCandidates(), 10 * (offset + k)));
  }

  private static IndexSearch.Ranked emptyRanked() {
    return new IndexSearch.Ranked(new int[0], Map.of(), Map.of());
  }

  private SearchResponse assemble(
      IndexHandle h,
      LoadedModel model,
      String text,
      String mode,
      int k,
      int offset,
      IndexSearch.Ranked vector,
      IndexSearch.Ranked lexical,
      StageTimer t,
      boolean cached,
      String degradedReason,
      String didYouMean)
      throws IOException {
    List<RankFusion.Fused> fused;
    if (vector != null && lexical != null) {
      fused =
          RankFusion.fuse(properties.search().rrfK(), List.of(vector.parents(), lexical.parents()));
    } else {
      IndexSearch.Ranked only = vector != null ? vector : lexical;
      fused = new ArrayList<>(only.parents().length);
      for (int p : only.parents()) {
        fused.add(new RankFusion.Fused(p, only.scores().get(p)));
      }
    }
    List<RankFusion.Fused> page =
        offset >= fused.size()
            ? List.of()
            : fused.subList(offset, Math.min(fused.size(), offset + k));
    t.stage("fusion");
    List<SearchHit> hits =
        IndexSearch.hits(
            h, page, vector, lexical, IndexSearch.ranks(vector), IndexSearch.ranks(lexical));
    t.stage("fetch");
    SearchResponse.ModelInfo info =
        model == null
            ? null
            : new SearchResponse.ModelInfo(
                model.manifest().name(), model.manifest().version(), model.hash());
    return new SearchResponse(
        text,
        mode,
        k,
        offset,
        fused.size(),
        hits,
        t.finish(),
        info,
        h.generation(),
        cached,
        degradedReason != null,
        degradedReason,
        didYouMean);
  }
}
