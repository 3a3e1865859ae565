package dev.shopsearch.service.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.model.NotReadyException;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.testing.WebSliceBeans;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code /v1/suggest} takes its deadline as every search endpoint does: the configured one (here a
 * long 60 s, so that a shorter wait can only come from the header), tightened by {@value
 * Deadline#HEADER}; a bad header is a 400 naming it. The wait for a generation's suggestions being
 * built ends at that deadline.
 */
@WebMvcTest(SuggestController.class)
@Import(WebSliceBeans.class)
@TestPropertySource(properties = "shopsearch.overload.deadline=60s")
class SuggestControllerTest {
  @Autowired MockMvc mvc;
  @MockitoBean SearchBackend backend;
  @MockitoBean Suggesters suggesters;

  @BeforeEach
  void servesGenerationSeven() {
    ProductIndexView view = mock(ProductIndexView.class);
    when(view.generation()).thenReturn(7L);
    when(backend.acquire(any())).thenReturn(view);
    when(suggesters.get(any(), anyLong()))
        .thenThrow(
            new NotReadyException("suggestions for index generation 7 are still being built"));
  }

  @Test
  void theDeadlineHeaderBoundsTheWaitForSuggestions() throws Exception {
    mvc.perform(get("/v1/suggest").param("q", "flo").header(Deadline.HEADER, "20"))
        .andExpect(status().isServiceUnavailable());
    ArgumentCaptor<Long> wait = ArgumentCaptor.forClass(Long.class);
    verify(suggesters).get(any(), wait.capture());
    assertThat(wait.getValue()).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
  }

  @Test
  void withoutTheHeaderTheConfiguredDeadlineApplies() throws Exception {
    mvc.perform(get("/v1/suggest").param("q", "flo")).andExpect(status().isServiceUnavailable());
    ArgumentCaptor<Long> wait = ArgumentCaptor.forClass(Long.class);
    verify(suggesters).get(any(), wait.capture());
    assertThat(wait.getValue())
        .isGreaterThan(Duration.ofSeconds(30).toNanos())
        .isLessThanOrEqualTo(Duration.ofSeconds(60).toNanos());
  }

  @Test
  void aBadDeadlineHeaderIs400NamingIt() throws Exception {
    mvc.perform(get("/v1/suggest").param("q", "flo").header(Deadline.HEADER, "-5"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.parameter").value(Deadline.HEADER));
    verify(suggesters, never()).get(any(), anyLong());
  }

  @Test
  void anEngineOutageIsA503EngineUnavailableNeverA500() throws Exception {
    when(backend.acquire(any()))
        .thenThrow(new BackendUnavailableException("OpenSearch cannot be reached: refused", null));
    mvc.perform(get("/v1/suggest").param("q", "flo"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.type").value(org.hamcrest.Matchers.endsWith("/engine-unavailable")))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("refused")));
    verify(suggesters, never()).get(any(), anyLong());
  }
}
