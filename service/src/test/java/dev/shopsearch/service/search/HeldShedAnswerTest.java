package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.shopsearch.service.model.NotReadyException;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.testing.RecordedPauses;
import dev.shopsearch.service.testing.WebSliceBeans;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A shed search is answered at the request's own deadline (the configured one, or the tighter
 * {@value Deadline#HEADER}), with the same 503 and Retry-After; other 503s are answered at once.
 * The holds are recorded, not slept; the deadline is 10 minutes so that the recorded hold does not
 * depend on how fast the machine runs the request.
 */
@WebMvcTest(SearchController.class)
@Import(WebSliceBeans.class)
@TestPropertySource(properties = "shopsearch.overload.deadline=10m")
class HeldShedAnswerTest {
  @Autowired MockMvc mvc;
  @Autowired RecordedPauses pauses;
  @MockitoBean SearchService service;

  @BeforeEach
  void clear() {
    pauses.clear();
  }

  @Test
  void aShedSearchIsAnsweredAtTheConfiguredDeadline() throws Exception {
    when(service.search(any(), any()))
        .thenThrow(new OverloadedException(ShedReason.IN_FLIGHT_LIMIT, "at its limit of 32"));
    mvc.perform(get("/v1/search").param("q", "x"))
        .andExpect(status().is(503))
        .andExpect(header().string("Retry-After", "1"))
        .andExpect(jsonPath("$.reason").value("in_flight_limit"));
    assertThat(pauses.all()).hasSize(1);
    assertThat(pauses.all().getFirst())
        .isLessThanOrEqualTo(Duration.ofMinutes(10))
        .isGreaterThan(Duration.ofMinutes(9));
  }

  @Test
  void aTighterHeaderDeadlineIsHeldOnlyThatLong() throws Exception {
    when(service.search(any(), any()))
        .thenThrow(new OverloadedException(ShedReason.DEADLINE, "deadline cannot be met"));
    mvc.perform(get("/v1/search").param("q", "x").header(Deadline.HEADER, "30000"))
        .andExpect(status().is(503))
        .andExpect(jsonPath("$.reason").value("deadline"));
    assertThat(pauses.all()).hasSize(1);
    assertThat(pauses.all().getFirst())
        .isLessThanOrEqualTo(Duration.ofSeconds(30))
        .isGreaterThan(Duration.ofSeconds(20));
  }

  @Test
  void aServiceThatIsNotReadyIsAnsweredAtOnce() throws Exception {
    doThrow(new NotReadyException("index is not loaded yet")).when(service).search(any(), any());
    mvc.perform(get("/v1/search").param("q", "x")).andExpect(status().is(503));
    assertThat(pauses.all()).isEmpty();
  }
}
