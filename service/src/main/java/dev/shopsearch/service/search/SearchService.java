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
 * The query path. Text: admit (bounded, no queue) → encode (cached, batched, deadline-bounded; an
 * encode that would queue past the deadline is refused up front, see {@link QueryEmbedder}) → kNN
 * with the filters as the child pre-filter, one child per product → BM25 for hybrid →
 * reciprocal-rank fusion → page → stored fields. When the service is full or the deadline cannot be
 * met it refuses at once ({@link OverloadedException}, 503) or, with {@code on-overload: lexical},
 * answers lexical-only with {@code degraded: true}. Thread-safe.
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
    float[] vector = null;
    boolean cached = false;
    if (q.mode() != SearchMode.LEXICAL) {
      t.skip();
      // The encode must leave time for the search after it (measured, like the encode itself).
      QueryEmbedder.Embedding emb =
          embedder.embed(q.text(), deadline, searchers.predictedSearchNanos());
      cached = emb.cached();
      vector = emb.vector();
      t.stage("encode");
    }
    float[] v = vector;
    boolean wasCached = cached;
    return searchers.run(deadline, () -> lucene(q, v, wasCached, model, t));
  }

  /** The Lucene part of a text search (on a search thread, which owns the index reference). */
  private SearchResponse lucene(
      SearchQuery q, float[] vector, boolean cached, LoadedModel model, StageTimer t)
      throws IOException {
    try (IndexHandle h = index.acquire()) {
      t.skip(); // time queued for a search thread is not a stage
      int window = window(q.offset(), q.k());
      IndexSearch.Ranked knn = null;
      if (vector != null) {
        knn = IndexSearch.knn(h, vector, LuceneQueries.knnFilter(q.filters()), window);
        t.stage("knn");
      }
      IndexSearch.Ranked lexical = null;
      if (q.mode() != SearchMode.VECTOR) {
        Query lq = queries.lexical(q.text(), q.filters());
        lexical = lq == null ? emptyRanked() : IndexSearch.lexical(h, lq, window);
        t.stage("lexical");
      }
      return assemble(
          h, model, q.text(), q.mode().key(), q.k(), q.offset(), knn, lexical, t, cached, null);
    }
  }

  private SearchResponse runLexicalOnly(SearchQuery q, long start, String reason) {
    try (IndexHandle h = index.acquire()) {
      StageTimer t = new StageTimer(metrics, start);
      Query lq = queries.lexical(q.text(), q.filters());
      IndexSearch.Ranked lexical =
          lq == null ? emptyRanked() : IndexSearch.lexical(h, lq, window(q.offset(), q.k()));
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
          reason);
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
                  IndexSearch.Ranked ranked = IndexSearch.knn(h, v, childFilter, window(offset, k));
                  t.stage("knn");
                  return assemble(
                      h, models.orNull(), null, endpoint, k, offset, ranked, null, t, false, null);
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
      String degradedReason)
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
        degradedReason);
  }
}
