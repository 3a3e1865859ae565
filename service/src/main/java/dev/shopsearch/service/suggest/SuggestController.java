package dev.shopsearch.service.suggest;

import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.search.EngineUnavailableException;
import dev.shopsearch.service.search.SearchProperties;
import dev.shopsearch.service.web.RequestIdFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/suggest}: autocompletion of product names and categories. */
@RestController
class SuggestController {
  /** Completions when {@code k} is absent. */
  static final int DEFAULT_K = 8;

  /** Most completions per request. */
  static final int MAX_K = 20;

  private final SearchBackend backend;
  private final Suggesters suggesters;
  private final SearchProperties limits;

  SuggestController(SearchBackend backend, Suggesters suggesters, SearchProperties limits) {
    this.backend = backend;
    this.suggesters = suggesters;
    this.limits = limits;
  }

  @Operation(
      summary = "Autocomplete product names and categories",
      description =
          "The last word of q is a prefix of any word of a product name or category path, the"
              + " earlier words must all match; most products first. Built per index generation;"
              + " 503 with Retry-After while the served generation's suggestions are being built; the"
              + " wait for them ends at the request's deadline (X-Request-Deadline-Ms tightens it).")
  @GetMapping(value = "/v1/suggest", produces = MediaType.APPLICATION_JSON_VALUE)
  SuggestResponse suggest(
      @Parameter(description = "what the shopper has typed, e.g. flo")
          @RequestParam(required = false)
          String q,
      @Parameter(description = "most completions, 1 to " + MAX_K + " (default " + DEFAULT_K + ")")
          @RequestParam(required = false)
          Integer k,
      Deadline deadline) {
    long start = RequestIdFilter.arrivalNanos();
    String prefix = checkQuery(q);
    int n = k == null ? DEFAULT_K : k;
    if (n < 1 || n > MAX_K) {
      throw new InvalidRequestException(
          "k", String.format(Locale.ROOT, "k must be in [1, %d]; got %d", MAX_K, n));
    }
    try (ProductIndexView h = backend.acquire(deadline::remainingNanos)) {
      List<Suggestion> found = suggesters.get(h, deadline.remainingNanos()).lookup(prefix, n);
      return new SuggestResponse(prefix, found, h.generation(), (System.nanoTime() - start) / 1e6);
    } catch (BackendUnavailableException e) {
      throw new EngineUnavailableException(e); // 503 engine-unavailable, as search answers
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String checkQuery(String q) {
    if (q == null || q.isBlank()) {
      throw new InvalidRequestException("q", "q must not be empty");
    }
    int max = limits.maxQueryLength();
    if (q.length() > max) {
      throw new InvalidRequestException(
          "q",
          String.format(Locale.ROOT, "q must be at most %d characters; got %d", max, q.length()));
    }
    return q.strip();
  }
}
