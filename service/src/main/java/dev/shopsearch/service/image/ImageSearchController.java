package dev.shopsearch.service.image;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.search.FilterParams;
import dev.shopsearch.service.search.ResultOptions;
import dev.shopsearch.service.search.SearchFilters;
import dev.shopsearch.service.search.SearchProperties;
import dev.shopsearch.service.search.SearchQuery;
import dev.shopsearch.service.search.SearchRequestBody;
import dev.shopsearch.service.search.SearchResponse;
import dev.shopsearch.service.search.SearchService;
import dev.shopsearch.service.web.RequestIdFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Supplier;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Search by photo and image–text consistency. The image is fetched (by URL), decoded and
 * preprocessed before the search is admitted ({@link ImageQueryService#prepare}, on the image
 * bulkhead); only the image tower and the kNN run under an admission slot.
 */
@RestController
class ImageSearchController {
  private final SearchService search;
  private final ImageQueryService images;
  private final SearchProperties limits;
  private final ConsistencyProperties consistency;
  private final SearchMetrics metrics;

  ImageSearchController(
      SearchService search,
      ImageQueryService images,
      SearchProperties limits,
      ConsistencyProperties consistency,
      SearchMetrics metrics) {
    this.search = search;
    this.images = images;
    this.limits = limits;
    this.consistency = consistency;
    this.metrics = metrics;
  }

  /** Result of {@code POST /v1/consistency}. */
  record ConsistencyResponse(
      double cosine, double threshold, boolean consistent, String model, double millis) {}

  @Operation(
      summary = "Search products by photo",
      description =
          "Multipart upload (part 'image'); the image is decoded, preprocessed as the bundle says"
              + " and encoded with the image tower. Same filters and paging as /v1/search.")
  @PostMapping(
      value = "/v1/search/image",
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse searchByImage(
      @RequestPart("image") MultipartFile image,
      @RequestParam(required = false) Integer k,
      @RequestParam(required = false) Integer offset,
      @ParameterObject FilterParams filterParams,
      @Parameter(description = ResultOptions.SORT_DOC) @RequestParam(required = false) String sort,
      @Parameter(description = ResultOptions.CURSOR_DOC) @RequestParam(required = false)
          String cursor,
      @Parameter(description = ResultOptions.FACETS_DOC) @RequestParam(required = false)
          Boolean facets,
      Deadline deadline) {
    ResultOptions options = ResultOptions.of(sort, cursor, facets, offset);
    int kk = SearchQuery.checkK(k, limits);
    int off = SearchQuery.checkOffset(offset, limits);
    SearchFilters filters = filterParams.validated();
    byte[] bytes = bytes(image);
    ImageQueryService.Prepared prepared = beforeAdmission(() -> images.prepare(bytes, deadline));
    return search.searchByVector(
        "image",
        () -> images.encode(prepared, deadline),
        null,
        kk,
        off,
        filters,
        options,
        deadline);
  }

  /** JSON body of {@code POST /v1/search/image} by URL. */
  record ImageUrlRequest(
      String url,
      Integer k,
      Integer offset,
      SearchRequestBody.Filters filters,
      String sort,
      String cursor,
      Boolean facets) {}

  @Operation(
      summary = "Search products by image URL",
      description =
          "JSON body {url, k, offset, filters, sort, cursor, facets}. The URL is fetched under the SSRF rules of the"
              + " indexer (no private addresses, allowed hosts, size cap, redirects re-checked).")
  @PostMapping(
      value = "/v1/search/image",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResponse searchByImageUrl(@RequestBody ImageUrlRequest body, Deadline deadline) {
    ResultOptions options =
        ResultOptions.of(body.sort(), body.cursor(), body.facets(), body.offset());
    int kk = SearchQuery.checkK(body.k(), limits);
    int off = SearchQuery.checkOffset(body.offset(), limits);
    SearchFilters filters =
        body.filters() == null ? SearchFilters.NONE : body.filters().validated();
    ImageQueryService.Prepared prepared =
        beforeAdmission(() -> images.prepare(images.fetch(body.url(), deadline), deadline));
    return search.searchByVector(
        "image",
        () -> images.encode(prepared, deadline),
        null,
        kk,
        off,
        filters,
        options,
        deadline);
  }

  @Operation(
      summary = "Image–text consistency",
      description =
          "Cosine similarity of an image (part 'image') and a text (part or parameter 'text')"
              + " under the served model; consistent = cosine >= the configured threshold.")
  @PostMapping(
      value = "/v1/consistency",
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ConsistencyResponse consistency(
      @RequestPart("image") MultipartFile image,
      @RequestParam(name = "text", required = false) String text,
      Deadline deadline) {
    long t0 = System.nanoTime();
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("text", "text must not be empty");
    }
    if (text.length() > limits.maxQueryLength()) {
      throw new InvalidRequestException(
          "text",
          String.format(
              Locale.ROOT,
              "text must be at most %d characters; got %d",
              limits.maxQueryLength(),
              text.length()));
    }
    ImageQueryService.Consistency c =
        images.consistency(bytes(image), QueryEmbedder.normalise(text), deadline);
    double threshold = consistency.threshold();
    return new ConsistencyResponse(
        c.cosine(), threshold, c.cosine() >= threshold, c.model(), (System.nanoTime() - t0) / 1e6);
  }

  /** Image work before admission; a refusal (bulkhead full, deadline) counts as shed. */
  private <T> T beforeAdmission(Supplier<T> work) {
    long start = RequestIdFilter.arrivalNanos();
    try {
      return work.get();
    } catch (OverloadedException e) {
      metrics.shed(e.reason());
      metrics.request("image", "vector", "shed", System.nanoTime() - start);
      throw e;
    }
  }

  private static byte[] bytes(MultipartFile file) {
    if (file == null || file.isEmpty()) {
      throw new InvalidRequestException("image", "image part must not be empty");
    }
    try {
      return file.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
