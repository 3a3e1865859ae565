package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.shopsearch.service.model.NotReadyException;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.problem.NotFoundException;
import dev.shopsearch.service.testing.WebSliceBeans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The HTTP contract of the search endpoints: validation (400 naming the parameter), problem details
 * for every error, 503 + Retry-After when not ready or shedding, 415, request ids. The service is a
 * mock; {@link SearchApiTest} covers the real path.
 */
@WebMvcTest(SearchController.class)
@Import({SearchControllerTest.Config.class, WebSliceBeans.class})
class SearchControllerTest {

  @TestConfiguration
  static class Config {}

  @Autowired MockMvc mvc;
  @MockitoBean SearchService service;

  static SearchResponse response() {
    return new SearchResponse(
        "red dress",
        "hybrid",
        10,
        0,
        1,
        List.of(
            new SearchHit("p1", "red dress", 19.5, "/images/a.jpg", "/images/a.jpg", 0.03, 1, 1)),
        Map.of("encode", 1.0, "total", 2.0),
        new SearchResponse.ModelInfo("m", "1", "abc"),
        3,
        false,
        false,
        null);
  }

  private ResultActions problem(ResultActions r, int status) throws Exception {
    return r.andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.requestId").isNotEmpty())
        .andExpect(jsonPath("$.trace").doesNotExist());
  }

  @Test
  void validSearchPassesParsedParametersToTheService() throws Exception {
    when(service.search(any(), any())).thenReturn(response());
    mvc.perform(
            get("/v1/search")
                .param("q", "  Red   Dress ")
                .param("k", "7")
                .param("offset", "14")
                .param("mode", "VECTOR")
                .param("category", "Women / Dresses")
                .param("colour", "Red")
                .param("minPrice", "5")
                .param("attr", "gender:women")
                .header("X-Request-Id", "abc-123"))
        .andExpect(status().isOk())
        .andExpect(header().string("X-Request-Id", "abc-123"))
        .andExpect(jsonPath("$.hits[0].id").value("p1"))
        .andExpect(jsonPath("$.hits[0].price").value(19.5))
        .andExpect(jsonPath("$.timings.encode").value(1.0))
        .andExpect(jsonPath("$.indexGeneration").value(3))
        .andExpect(jsonPath("$.degradedReason").doesNotExist());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    ArgumentCaptor<Deadline> d = ArgumentCaptor.forClass(Deadline.class);
    verify(service).search(q.capture(), d.capture());
    assertThat(q.getValue().text()).isEqualTo("Red Dress");
    assertThat(q.getValue().k()).isEqualTo(7);
    assertThat(q.getValue().offset()).isEqualTo(14);
    assertThat(q.getValue().mode()).isEqualTo(SearchMode.VECTOR);
    assertThat(q.getValue().filters().categories()).containsExactly("women/dresses");
    assertThat(q.getValue().filters().colours()).containsExactly("red");
    assertThat(q.getValue().filters().minPrice()).isEqualTo(5.0);
    assertThat(q.getValue().filters().attributes()).containsEntry("gender", List.of("women"));
    assertThat(d.getValue().budgetMillis()).isEqualTo(100);
  }

  @Test
  void defaultsAreHybridAndTenResults() throws Exception {
    when(service.search(any(), any())).thenReturn(response());
    mvc.perform(get("/v1/search").param("q", "x")).andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().mode()).isEqualTo(SearchMode.HYBRID);
    assertThat(q.getValue().k()).isEqualTo(10);
    assertThat(q.getValue().offset()).isZero();
  }

  @Test
  void badParametersAre400NamingTheParameterAndTheLimit() throws Exception {
    problem(mvc.perform(get("/v1/search").param("q", "x").param("k", "0")), 400)
        .andExpect(jsonPath("$.parameter").value("k"))
        .andExpect(jsonPath("$.detail").value("k must be in [1, 100]; got 0"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("k", "101")), 400)
        .andExpect(jsonPath("$.parameter").value("k"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("offset", "-1")), 400)
        .andExpect(jsonPath("$.parameter").value("offset"));
    problem(mvc.perform(get("/v1/search")), 400).andExpect(jsonPath("$.parameter").value("q"));
    problem(mvc.perform(get("/v1/search").param("q", "   ")), 400)
        .andExpect(jsonPath("$.detail").value("q must not be empty"));
    problem(mvc.perform(get("/v1/search").param("q", "x".repeat(257))), 400)
        .andExpect(jsonPath("$.detail").value("q must be at most 256 characters; got 257"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("mode", "fuzzy")), 400)
        .andExpect(jsonPath("$.parameter").value("mode"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("k", "ten")), 400)
        .andExpect(jsonPath("$.parameter").value("k"))
        .andExpect(jsonPath("$.detail").value("k must be a valid integer; got 'ten'"));
    problem(
            mvc.perform(
                get("/v1/search").param("q", "x").param("minPrice", "9").param("maxPrice", "1")),
            400)
        .andExpect(jsonPath("$.parameter").value("minPrice"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("attr", "novalue")), 400)
        .andExpect(jsonPath("$.parameter").value("attr"));
    problem(mvc.perform(get("/v1/search").param("q", "x").header(Deadline.HEADER, "-5")), 400)
        .andExpect(jsonPath("$.parameter").value(Deadline.HEADER));
    verify(service, never()).search(any(), any());
  }

  @Test
  void postTakesTheSameFieldsAsJsonAndRefusesOtherMediaTypes() throws Exception {
    when(service.search(any(), any())).thenReturn(response());
    mvc.perform(
            post("/v1/search")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"q\":\"shoes\",\"k\":3,\"mode\":\"lexical\","
                        + "\"filters\":{\"colour\":[\"Blue\"],\"maxPrice\":20}}"))
        .andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().mode()).isEqualTo(SearchMode.LEXICAL);
    assertThat(q.getValue().filters().colours()).containsExactly("blue");
    assertThat(q.getValue().filters().maxPrice()).isEqualTo(20.0);

    problem(mvc.perform(post("/v1/search").contentType(MediaType.TEXT_PLAIN).content("q=x")), 415);
    problem(
        mvc.perform(post("/v1/search").contentType(MediaType.APPLICATION_JSON).content("{oops")),
        400);
    problem(
            mvc.perform(
                post("/v1/search").contentType(MediaType.APPLICATION_JSON).content("{\"k\":5}")),
            400)
        .andExpect(jsonPath("$.parameter").value("q"));
  }

  @Test
  void sheddingAndNotReadyAre503WithRetryAfter() throws Exception {
    when(service.search(any(), any()))
        .thenThrow(
            new OverloadedException(ShedReason.IN_FLIGHT_LIMIT, "service is at its limit of 32"));
    problem(mvc.perform(get("/v1/search").param("q", "x")), 503)
        .andExpect(header().string("Retry-After", "1"))
        .andExpect(jsonPath("$.reason").value("in_flight_limit"))
        .andExpect(jsonPath("$.detail").value("service is at its limit of 32"));
    doThrow(new NotReadyException("index is not loaded yet")).when(service).search(any(), any());
    problem(mvc.perform(get("/v1/search").param("q", "x")), 503)
        .andExpect(header().string("Retry-After", "1"));
  }

  @Test
  void similarValidatesAndMapsUnknownProductsTo404() throws Exception {
    when(service.similar(eq("nope"), eq(10), eq(0), any(), any(), any()))
        .thenThrow(new NotFoundException("no product with id 'nope'"));
    problem(mvc.perform(get("/v1/products/nope/similar")), 404)
        .andExpect(jsonPath("$.detail").value("no product with id 'nope'"));
    problem(mvc.perform(get("/v1/products/p1/similar").param("k", "1000")), 400)
        .andExpect(jsonPath("$.parameter").value("k"));
  }

  @Test
  void unexpectedFailuresAre500WithoutInternals() throws Exception {
    when(service.search(any(), any()))
        .thenThrow(new IllegalStateException("secret internal state at /opt/x"));
    problem(mvc.perform(get("/v1/search").param("q", "x")), 500)
        .andExpect(
            jsonPath("$.detail").value("internal error; quote the request id when reporting it"));
  }
}
