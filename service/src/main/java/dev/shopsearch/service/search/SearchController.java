package dev.shopsearch.service.search;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.web.RequestIdFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Text search and similar products. */
@RestController
class SearchController {
  private final SearchService service;
  private final ServiceProperties properties;

  SearchController(SearchService service, ServiceProperties properties) {
    this.service = service;
    this.properties = properties;
  }

  @Operation(
      summary = "Search products by text",
      description =
          "Hybrid (kNN + BM25, fused with the index's calibrated settings or equal-weight RRF;"
              + " fusion, vectorWeight, lexicalWeight and rrfK override them) by default; filters"
              + " apply inside the kNN query. One hit per product.")
  @GetMapping(value = "/v1/search", produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse search(
      @RequestParam(required = false) String q,
      @RequestParam(required = false) Integer k,
      @RequestParam(required = false) Integer offset,
      @Parameter(description = "vector, hybrid or lexical") @RequestParam(required = false)
          String mode,
      @RequestParam(required = false) List<String> category,
      @RequestParam(required = false) List<String> colour,
      @RequestParam(required = false) Double minPrice,
      @RequestParam(required = false) Double maxPrice,
      @RequestParam(required = false) Boolean inStock,
      @Parameter(description = "attribute filter name:value, repeatable")
          @RequestParam(required = false)
          List<String> attr,
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
      @Parameter(description = "RRF constant, 1-10000") @RequestParam(required = false)
          Integer rrfK,
      @RequestHeader(name = Deadline.HEADER, required = false) String deadlineHeader) {
    Deadline deadline = deadline(deadlineHeader);
    SearchFilters filters =
        SearchFilters.of(
            category, colour, minPrice, maxPrice, inStock, SearchFilters.parseAttributes(attr));
    return service.search(
        SearchQuery.of(
            q,
            k,
            offset,
            mode,
            filters,
            SearchQuery.fusion(fusion, vectorWeight, lexicalWeight, rrfK),
            properties.search()),
        deadline);
  }

  @Operation(summary = "Search products by text (JSON body)")
  @PostMapping(
      value = "/v1/search",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse searchPost(
      @RequestBody SearchRequestBody body,
      @RequestHeader(name = Deadline.HEADER, required = false) String deadlineHeader) {
    Deadline deadline = deadline(deadlineHeader);
    SearchFilters filters = body.filters() == null ? null : body.filters().validated();
    return service.search(
        SearchQuery.of(
            body.q(),
            body.k(),
            body.offset(),
            body.mode(),
            filters,
            SearchQuery.fusion(
                body.fusion(), body.vectorWeight(), body.lexicalWeight(), body.rrfK()),
            properties.search()),
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
      @RequestParam(required = false) List<String> category,
      @RequestParam(required = false) List<String> colour,
      @RequestParam(required = false) Double minPrice,
      @RequestParam(required = false) Double maxPrice,
      @RequestParam(required = false) Boolean inStock,
      @RequestParam(required = false) List<String> attr,
      @RequestHeader(name = Deadline.HEADER, required = false) String deadlineHeader) {
    Deadline deadline = deadline(deadlineHeader);
    if (id.isBlank() || id.length() > 512) {
      throw new InvalidRequestException("id", "product id must have 1 to 512 characters");
    }
    SearchFilters filters =
        SearchFilters.of(
            category, colour, minPrice, maxPrice, inStock, SearchFilters.parseAttributes(attr));
    return service.similar(
        id,
        SearchQuery.checkK(k, properties.search()),
        SearchQuery.checkOffset(offset, properties.search()),
        filters,
        deadline);
  }

  private Deadline deadline(String header) {
    try {
      return Deadline.start(
          properties.overload().deadline(), header, RequestIdFilter.arrivalNanos());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(Deadline.HEADER, e.getMessage());
    }
  }
}
