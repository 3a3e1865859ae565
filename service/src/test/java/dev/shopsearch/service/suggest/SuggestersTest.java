package dev.shopsearch.service.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.ProductLabels;
import dev.shopsearch.core.search.SearchBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Suggesters} over any {@link SearchBackend}: built from the served view's {@link
 * ProductIndexView#forEachLabels}, rebuilt when a new generation is served, and an engine outage
 * during the build surfaces as {@link BackendUnavailableException} (then retried).
 */
class SuggestersTest {
  /** Long enough never to matter: the first request starts the build itself. */
  private static final Duration POLL = Duration.ofHours(1);

  private static final long WAIT = TimeUnit.SECONDS.toNanos(60);

  private static ProductIndexView view(long generation, ProductLabels... products)
      throws Exception {
    ProductIndexView v = mock(ProductIndexView.class);
    when(v.generation()).thenReturn(generation);
    IndexMetadata metadata = mock(IndexMetadata.class);
    when(metadata.hasLexicalFields()).thenReturn(true);
    when(v.metadata()).thenReturn(metadata);
    doAnswer(
            call -> {
              Consumer<ProductLabels> sink = call.getArgument(0);
              List.of(products).forEach(sink);
              return null;
            })
        .when(v)
        .forEachLabels(any());
    return v;
  }

  @Test
  void suggestionsFollowTheServedGeneration() throws Exception {
    SearchBackend backend = mock(SearchBackend.class);
    ProductIndexView one =
        view(1, new ProductLabels("p", "Red Floral Dress", null, List.of("Women/Dresses")));
    ProductIndexView two =
        view(2, new ProductLabels("p", "Flower Pot", null, List.of("Home/Garden")));
    when(backend.acquire()).thenReturn(one);
    try (Suggesters suggesters = new Suggesters(backend, POLL)) {
      assertThat(suggesters.get(one, WAIT).lookup("flo", 5))
          .containsExactly(new Suggestion("Red Floral Dress", Suggestion.PRODUCT, 1));
      assertThat(suggesters.get(one, WAIT).lookup("wom", 5))
          .extracting(Suggestion::text)
          .containsExactlyInAnyOrder("Women", "Women / Dresses");

      when(backend.acquire()).thenReturn(two);
      assertThat(suggesters.get(two, WAIT).lookup("flo", 5))
          .containsExactly(new Suggestion("Flower Pot", Suggestion.PRODUCT, 1));
      assertThat(suggesters.get(two, WAIT).lookup("wom", 5)).isEmpty();
    }
  }

  @Test
  void anEngineOutageDuringTheBuildIsRethrownAndTheNextRequestRetries() throws Exception {
    SearchBackend backend = mock(SearchBackend.class);
    ProductIndexView down = view(3);
    doThrow(new BackendUnavailableException("OpenSearch cannot be reached: refused", null))
        .when(down)
        .forEachLabels(any());
    when(backend.acquire()).thenReturn(down);
    try (Suggesters suggesters = new Suggesters(backend, POLL)) {
      assertThatThrownBy(() -> suggesters.get(down, WAIT))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("refused");

      ProductIndexView up = view(3, new ProductLabels("p", "Flower Pot", null, List.of()));
      when(backend.acquire()).thenReturn(up);
      assertThat(suggesters.get(up, WAIT).lookup("flo", 5))
          .containsExactly(new Suggestion("Flower Pot", Suggestion.PRODUCT, 1));
    }
  }

  @Test
  void aGenerationSwappedOutBeforeItsBuildIsNotReady() throws Exception {
    SearchBackend backend = mock(SearchBackend.class);
    ProductIndexView old = view(4);
    ProductIndexView served = view(5);
    when(backend.acquire()).thenReturn(served);
    try (Suggesters suggesters = new Suggesters(backend, POLL)) {
      assertThatThrownBy(() -> suggesters.get(old, WAIT))
          .isInstanceOf(dev.shopsearch.service.model.NotReadyException.class)
          .hasMessageContaining("generation 4 is no longer served (now 5)");
    }
  }
}
