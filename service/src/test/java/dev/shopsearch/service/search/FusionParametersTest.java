package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.service.fusion.FusionInfo;
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

/** The fusion parameters of {@code /v1/search}: parsed, passed on, refused with a 400. */
@WebMvcTest(SearchController.class)
@Import({FusionParametersTest.Config.class, WebSliceBeans.class})
class FusionParametersTest {

  @TestConfiguration
  static class Config {}

  @Autowired MockMvc mvc;
  @MockitoBean SearchService service;

  private static SearchResponse hybrid() {
    return new SearchResponse(
        "red dress",
        "hybrid",
        10,
        0,
        1,
        List.of(new SearchHit("p1", "red dress", 19.5, "/a.jpg", "/a.jpg", 0.9, 1, 2)),
        Map.of("total", 2.0),
        new SearchResponse.ModelInfo("m", "1", "abc"),
        3,
        false,
        false,
        null,
        null,
        1,
        "relevance",
        null,
        null,
        new FusionInfo("score", 60, 0.3, 0.7, "index"));
  }

  private ResultActions problem(ResultActions r) throws Exception {
    return r.andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void getPassesTheOverrideAndTheResponseSaysWhichFusionRan() throws Exception {
    when(service.search(any(), any())).thenReturn(hybrid());
    mvc.perform(
            get("/v1/search")
                .param("q", "red dress")
                .param("fusion", "SCORE")
                .param("vectorWeight", "0.25")
                .param("lexicalWeight", "2")
                .param("semanticWeight", "0.5")
                .param("rrfK", "20"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fusion.strategy").value("score"))
        .andExpect(jsonPath("$.fusion.source").value("index"))
        .andExpect(jsonPath("$.fusion.lexicalWeight").value(0.7))
        .andExpect(jsonPath("$.hits[0].vectorRank").value(1))
        .andExpect(jsonPath("$.hits[0].lexicalRank").value(2))
        .andExpect(jsonPath("$.hits[0].lists[0]").value("image"))
        .andExpect(jsonPath("$.hits[0].lists[1]").value("lexical"));
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().fusion().strategy()).isEqualTo(FusionStrategy.SCORE);
    assertThat(q.getValue().fusion().vectorWeight()).isEqualTo(0.25);
    assertThat(q.getValue().fusion().lexicalWeight()).isEqualTo(2.0);
    assertThat(q.getValue().fusion().semanticWeight()).isEqualTo(0.5);
    assertThat(q.getValue().fusion().rrfK()).isEqualTo(20);
  }

  @Test
  void postTakesTheSameFields() throws Exception {
    when(service.search(any(), any())).thenReturn(hybrid());
    mvc.perform(
            post("/v1/search")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"q\":\"shoes\",\"fusion\":\"rrf\",\"vectorWeight\":3,\"semanticWeight\":0}"))
        .andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().fusion().strategy()).isEqualTo(FusionStrategy.RRF);
    assertThat(q.getValue().fusion().vectorWeight()).isEqualTo(3.0);
    assertThat(q.getValue().fusion().lexicalWeight()).isNull();
    assertThat(q.getValue().fusion().semanticWeight()).isZero();
  }

  @Test
  void withoutParametersNothingIsOverridden() throws Exception {
    when(service.search(any(), any())).thenReturn(hybrid());
    mvc.perform(get("/v1/search").param("q", "x")).andExpect(status().isOk());
    ArgumentCaptor<SearchQuery> q = ArgumentCaptor.forClass(SearchQuery.class);
    verify(service).search(q.capture(), any());
    assertThat(q.getValue().fusion().isEmpty()).isTrue();
  }

  @Test
  void badValuesAre400NamingTheParameterAndTheLimit() throws Exception {
    problem(mvc.perform(get("/v1/search").param("q", "x").param("fusion", "max")))
        .andExpect(jsonPath("$.parameter").value("fusion"))
        .andExpect(jsonPath("$.detail").value("fusion must be one of rrf, score; got 'max'"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("vectorWeight", "-1")))
        .andExpect(jsonPath("$.parameter").value("vectorWeight"))
        .andExpect(jsonPath("$.detail").value("vectorWeight must be in [0, 100]; got -1.0"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("lexicalWeight", "101")))
        .andExpect(jsonPath("$.parameter").value("lexicalWeight"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("rrfK", "0")))
        .andExpect(jsonPath("$.parameter").value("rrfK"))
        .andExpect(jsonPath("$.detail").value("rrfK must be in [1, 10000]; got 0"));
    problem(
            mvc.perform(
                get("/v1/search")
                    .param("q", "x")
                    .param("vectorWeight", "0")
                    .param("lexicalWeight", "0")
                    .param("semanticWeight", "0")))
        .andExpect(jsonPath("$.parameter").value("vectorWeight"))
        .andExpect(
            jsonPath("$.detail")
                .value("vectorWeight, lexicalWeight and semanticWeight must not all be 0"));
    problem(mvc.perform(get("/v1/search").param("q", "x").param("semanticWeight", "101")))
        .andExpect(jsonPath("$.parameter").value("semanticWeight"))
        .andExpect(jsonPath("$.detail").value("semanticWeight must be in [0, 100]; got 101.0"));
    problem(
            mvc.perform(
                post("/v1/search")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"q\":\"x\",\"lexicalWeight\":\"NaN\"}")))
        .andExpect(jsonPath("$.parameter").value("lexicalWeight"));
    verify(service, never()).search(any(), any());
  }
}
