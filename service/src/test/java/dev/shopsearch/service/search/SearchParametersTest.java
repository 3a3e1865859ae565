package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.shopsearch.service.testing.WebSliceBeans;
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
 * Unknown query parameters and JSON fields are a 400 naming them and listing the accepted names;
 * {@code color} is an alias of {@code colour} in both.
 */
@WebMvcTest(SearchController.class)
@Import({SearchParametersTest.Config.class, WebSliceBeans.class})
class SearchParametersTest {

  @TestConfiguration
  static class Config {}

  @Autowired MockMvc mvc;
  @MockitoBean SearchService service;

  private ResultActions badRequest(ResultActions r, String parameter) throws Exception {
    return r.andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("https://shopsearch.dev/problems/invalid-parameter"))
        .andExpect(jsonPath("$.parameter").value(parameter))
        .andExpect(jsonPath("$.requestId").isNotEmpty());
  }

  private ResultActions postJson(String json) throws Exception {
    return mvc.perform(post("/v1/search").contentType(MediaType.APPLICATION_JSON).content(json));
  }

  @Test
  void unknownQueryParametersAre400ListingTheAcceptedOnes() throws Exception {
    badRequest(mvc.perform(get("/v1/search").param("q", "dress").param("order", "price")), "order")
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "unknown parameter 'order' for GET /v1/search; accepted: q, k, offset, mode,"
                        + " category, colour, color, minPrice, maxPrice, inStock, attr, sort,"
                        + " cursor, facets, fusion, vectorWeight, lexicalWeight, semanticWeight,"
                        + " rrfK"))
        .andExpect(jsonPath("$.accepted", hasItems("q", "colour", "color", "attr")));
    badRequest(
            mvc.perform(
                get("/v1/search").param("q", "dress").param("facet", "x").param("colr", "red")),
            "colr")
        .andExpect(
            jsonPath("$.detail")
                .value(org.hamcrest.Matchers.startsWith("unknown parameters 'colr', 'facet'")));
    badRequest(mvc.perform(get("/v1/products/p1/similar").param("mode", "lexical")), "mode")
        .andExpect(jsonPath("$.accepted", hasItems("k", "offset", "colour", "color")));
    verify(service, never()).search(any(), any());
  }

  @Test
  void queryParametersOfAPostAreRefusedToo() throws Exception {
    badRequest(
            mvc.perform(
                post("/v1/search")
                    .param("k", "3")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"q\":\"dress\"}")),
            "k")
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "unknown parameter 'k' for POST /v1/search; accepted: none (send the fields"
                        + " in the JSON body)"));
  }

  @Test
  void filterValuesOfTheWrongTypeAre400NamingTheParameter() throws Exception {
    badRequest(
            mvc.perform(get("/v1/search").param("q", "dress").param("minPrice", "cheap")),
            "minPrice")
        .andExpect(jsonPath("$.detail").value("minPrice must be a valid double; got 'cheap'"));
    badRequest(mvc.perform(get("/v1/products/p1/similar").param("inStock", "maybe")), "inStock")
        .andExpect(jsonPath("$.detail").value("inStock must be a valid boolean; got 'maybe'"));
    badRequest(mvc.perform(get("/v1/search").param("q", "dress").param("k", "ten")), "k")
        .andExpect(jsonPath("$.detail").value("k must be a valid integer; got 'ten'"));
    verify(service, never()).search(any(), any());
  }

  @Test
  void colorIsAnAliasOfColour() throws Exception {
    when(service.search(any(), any())).thenReturn(SearchControllerTest.response());
    mvc.perform(get("/v1/search").param("q", "dress").param("color", "Red").param("colour", "Blue"))
        .andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().filters().colours()).containsExactlyInAnyOrder("red", "blue");

    postJson("{\"q\":\"dress\",\"filters\":{\"color\":[\"Green\"]}}").andExpect(status().isOk());
    verify(service, org.mockito.Mockito.times(2)).search(q.capture(), any());
    assertThat(q.getValue().filters().colours()).containsExactly("green");

    when(service.similar(eq("p1"), anyInt(), anyInt(), any(), any(), any()))
        .thenReturn(SearchControllerTest.response());
    mvc.perform(get("/v1/products/p1/similar").param("color", "red")).andExpect(status().isOk());
    ArgumentCaptor<SearchFilters> f = ArgumentCaptor.forClass(SearchFilters.class);
    verify(service).similar(eq("p1"), anyInt(), anyInt(), f.capture(), any(), any());
    assertThat(f.getValue().colours()).containsExactly("red");
  }

  @Test
  void unknownJsonFieldsAre400NamingTheirPath() throws Exception {
    badRequest(postJson("{\"q\":\"dress\",\"filter\":{\"colour\":[\"red\"]}}"), "filter")
        .andExpect(
            jsonPath("$.detail")
                .value(org.hamcrest.Matchers.startsWith("unknown field 'filter' in the JSON body")))
        .andExpect(jsonPath("$.accepted", hasItems("q", "k", "offset", "mode", "filters")));
    badRequest(postJson("{\"q\":\"dress\",\"filters\":{\"size\":[\"m\"]}}"), "filters.size")
        .andExpect(
            jsonPath("$.detail")
                .value(
                    org.hamcrest.Matchers.startsWith("unknown field 'filters.size' in 'filters'")))
        .andExpect(jsonPath("$.accepted", hasItems("category", "colour", "attributes")));
    badRequest(postJson("{\"q\":\"dress\",\"order\":\"price\"}"), "order");
    verify(service, never()).search(any(), any());
  }

  @Test
  void sortAndCursorAreValidatedNamingTheAcceptedValues() throws Exception {
    badRequest(mvc.perform(get("/v1/search").param("q", "dress").param("sort", "price")), "sort")
        .andExpect(
            jsonPath("$.detail")
                .value("sort must be one of relevance, price_asc, price_desc, newest; got 'price'"))
        .andExpect(jsonPath("$.accepted", hasItems("relevance", "price_asc", "newest")));
    badRequest(postJson("{\"q\":\"dress\",\"sort\":\"cheapest\"}"), "sort");
    badRequest(mvc.perform(get("/v1/products/p1/similar").param("sort", "PRICE")), "sort");
    badRequest(
            mvc.perform(
                get("/v1/search").param("q", "dress").param("cursor", "abc").param("offset", "10")),
            "offset")
        .andExpect(
            jsonPath("$.detail")
                .value(
                    org.hamcrest.Matchers.startsWith("offset must be 0 or absent with a cursor")));
    verify(service, never()).search(any(), any());

    when(service.search(any(), any())).thenReturn(SearchControllerTest.response());
    mvc.perform(
            get("/v1/search")
                .param("q", "dress")
                .param("sort", "Price_Desc")
                .param("facets", "true")
                .param("cursor", "opaque"))
        .andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().options())
        .isEqualTo(new ResultOptions(SortOrder.PRICE_DESC, "opaque", true));
  }
}
