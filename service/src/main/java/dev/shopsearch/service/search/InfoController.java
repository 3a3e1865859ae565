package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.fusion.FusionChoice;
import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.index.IndexHandle;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.model.CacheProperties;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.OverloadProperties;
import io.swagger.v3.oas.annotations.Operation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/info}: what is being served. */
@RestController
class InfoController {
  private final ModelHolder models;
  private final IndexManager index;
  private final QueryEmbedder embedder;
  private final SearchProperties limits;
  private final OverloadProperties overload;
  private final CacheProperties cache;
  private final SearchBackend backend;

  InfoController(
      ModelHolder models,
      IndexManager index,
      QueryEmbedder embedder,
      SearchProperties limits,
      OverloadProperties overload,
      CacheProperties cache,
      SearchBackend backend) {
    this.models = models;
    this.index = index;
    this.backend = backend;
    this.embedder = embedder;
    this.limits = limits;
    this.overload = overload;
    this.cache = cache;
  }

  @Operation(
      summary = "Model, execution provider, index generation, document counts, vector format")
  @GetMapping(value = "/v1/info", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> info() {
    Map<String, Object> out = new LinkedHashMap<>();
    LoadedModel model = models.orNull();
    if (model != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", model.manifest().name());
      m.put("version", model.manifest().version());
      m.put("hash", model.hash());
      m.put("dim", model.manifest().dim());
      m.put("similarity", model.manifest().similarity().name().toLowerCase(java.util.Locale.ROOT));
      m.put("provider", model.provider().toString());
      out.put("model", m);
    } else {
      out.put("model", Map.of("status", models.loadError() == null ? "loading" : "failed"));
    }
    if (!(backend instanceof LuceneBackend)) {
      out.put("index", remoteIndex());
    } else if (index.ready()) {
      try (IndexHandle h = index.acquire()) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("generation", h.generation());
        i.put("products", h.products());
        i.put("documents", h.documents());
        // the third list of hybrid search: false for generations without product text vectors
        // (schema version < 4, or built without the text tower)
        i.putAll(describe(h.metadata(), ProductKnn.hasTextVectors(h.searcher().getIndexReader())));
        out.put("index", i);
      }
    } else {
      out.put("index", Map.of("status", "not loaded"));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("defaultMode", limits.defaultMode().key());
    s.put("deadlineMs", overload.deadline().toMillis());
    s.put("maxInFlight", overload.maxInFlight());
    s.put("onOverload", overload.onOverload().name().toLowerCase(java.util.Locale.ROOT));
    s.put("cacheEnabled", cache.enabled());
    s.put("cachedQueries", embedder.cacheSize());
    // the storefront pages by offset up to maxOffset, then by nextCursor
    s.put("maxOffset", limits.maxOffset());
    s.put("maxK", limits.maxK());
    out.put("serving", s);
    return out;
  }

  /**
   * The generation a remote engine serves, from its metadata (product count as built; no Lucene
   * document count), or {@code status: not loaded} with the backend's reason.
   */
  private Map<String, Object> remoteIndex() {
    String problem = backend.notReadyReason();
    if (problem == null) {
      try (ProductIndexView v = backend.acquire()) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("generation", v.generation());
        i.put("products", v.metadata().products());
        i.putAll(describe(v.metadata(), v.hasTextVectors()));
        return i;
      } catch (BackendUnavailableException e) {
        problem = e.getMessage();
      }
    }
    Map<String, Object> down = new LinkedHashMap<>();
    down.put("status", "not loaded");
    down.put("reason", problem);
    return down;
  }

  /**
   * What the metadata says of a generation, the same on every backend.
   *
   * @param semantic whether the generation has product text vectors (the semantic list)
   */
  private Map<String, Object> describe(IndexMetadata meta, boolean semantic) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("images", meta.images());
    i.put("schemaVersion", meta.schemaVersion());
    i.put("vectorFormat", meta.vectorFormat().key());
    i.put("hnswM", meta.hnsw().m());
    i.put("hnswBeamWidth", meta.hnsw().beamWidth());
    i.put("createdAt", meta.createdAt().toString());
    i.put("builtWith", meta.modelName() + " " + meta.modelVersion());
    i.put("semanticList", semantic);
    // what a hybrid search without overrides fuses with: calibrated ("index") or "default"
    i.put(
        "fusion", FusionChoice.resolve(FusionOverride.NONE, meta, limits.rrfK(), semantic).info());
    return i;
  }
}
