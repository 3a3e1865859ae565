package dev.shopsearch.service.search;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.problem.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Text search and similar products. */
@RestController
class SearchController {
  private final SearchService service;
  private final SearchProperties limits;

  SearchController(SearchService service, SearchProperties limits) {
    this.service = service;
    this.limits = limits;
  }

  @Operation(
      summary = "Search products by text",
      description =
          "Hybrid (image kNN + BM25 + the semantic list, kNN over the products' text vectors,"
              + " fused with the index's calibrated settings or equal-weight RRF; fusion,"
              + " vectorWeight, lexicalWeight, semanticWeight and rrfK override them) by default;"
              + " filters apply inside the kNN queries. One hit per product; each hit's lists"
              + " name the lists it came from.")
  @GetMapping(value = "/v1/search", produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse search(
      @RequestParam(required = false) String q,
      @RequestParam(required = false) Integer k,
      @RequestParam(required = false) Integer offset,
      @Parameter(description = "vector, hybrid or lexical") @RequestParam(required = false)
          String mode,
      @ParameterObject FilterParams filters,
      @Parameter(description = ResultOptions.SORT_DOC) @RequestParam(required = false) String sort,
      @Parameter(description = ResultOptions.CURSOR_DOC) @RequestParam(required = false)
          String cursor,
      @Parameter(description = ResultOptions.FACETS_DOC) @RequestParam(required = false)
          Boolean facets,
      @Parameter(
              description =
                  "hybrid fusion: rrf (weighted reciprocal rank) or score (weighted"
                      + " min-max-normalised scores); default: the index's calibrated strategy, else rrf")
          @RequestParam(required = false)
          String fusion,
      @Parameter(description = "weight of the kNN list in hybrid fusion, 0-100")
          @RequestParam(required = false)
          Double vectorWeight,
      @Parameter(description = "weight of the BM25 list in hybrid fusion, 0-100")
          @RequestParam(required = false)
          Double lexicalWeight,
      @Parameter(
              description =
                  "weight of the semantic list (kNN over the products' text vectors) in hybrid"
                      + " fusion, 0-100; 0 turns it off. Ignored by an index without text vectors")
          @RequestParam(required = false)
          Double semanticWeight,
      @Parameter(description = "RRF constant, 1-10000") @RequestParam(required = false)
          Integer rrfK,
      Deadline deadline) {
    ResultOptions options = ResultOptions.of(sort, cursor, facets, offset);
    return service.search(
        SearchQuery.of(
            q,
            k,
            offset,
            mode,
            filters.validated(),
            options,
            SearchQuery.fusion(fusion, vectorWeight, lexicalWeight, semanticWeight, rrfK),
            limits),
        deadline);
  }

  @Operation(summary = "Search products by text (JSON body)")
  @PostMapping(
      value = "/v1/search",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse searchPost(@RequestBody SearchRequestBody body, Deadline deadline) {
    SearchFilters filters = body.filters() == null ? null : body.filters().validated();
    ResultOptions options = body.options();
    return service.search(
        SearchQuery.of(
            body.q(),
            body.k(),
            body.offset(),
            body.mode(),
            filters,
            options,
            SearchQuery.fusion(
                body.fusion(),
                body.vectorWeight(),
                body.lexicalWeight(),
                body.semanticWeight(),
                body.rrfK()),
            limits),
        deadline);
  }

  @Operation(
      summary = "Products similar to a product",
      description = "Uses the product's stored image vectors; nothing is encoded.")
  @GetMapping(value = "/v1/products/{id}/similar", produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse similar(
      @PathVariable String id,
      @RequestParam(required = false) Integer k,
      @RequestParam(required = false) Integer offset,
      @ParameterObject FilterParams filterParams,
      @Parameter(description = ResultOptions.SORT_DOC) @RequestParam(required = false) String sort,
      @Parameter(description = ResultOptions.CURSOR_DOC) @RequestParam(required = false)
          String cursor,
      @Parameter(description = ResultOptions.FACETS_DOC) @RequestParam(required = false)
          Boolean facets,
      Deadline deadline) {
    if (id.isBlank() || id.length() > 512) {
      throw new InvalidRequestException("id", "product id must have 1 to 512 characters");
    }
    SearchFilters filters = filterParams.validated();
    return service.similar(
        id,
        SearchQuery.checkK(k, limits),
        SearchQuery.checkOffset(offset, limits),
        filters,
        ResultOptions.of(sort, cursor, facets, offset),
        deadline);
  }
}
