package dev.shopsearch.service.search;

import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.spelling.SpellCorrector;

/**
 * The embedded backend: the generation the {@link IndexManager} serves, searched in process.
 * Spelling corrections are remembered across requests ({@link SpellCorrector}). Thread-safe.
 */
public final class LuceneBackend implements SearchBackend {
  private final IndexManager index;
  private final SpellCorrector speller = new SpellCorrector();
  private final LuceneQueries queries = new LuceneQueries();

  public LuceneBackend(IndexManager index) {
    this.index = index;
  }

  @Override
  public boolean ready() {
    return index.ready();
  }

  @Override
  public String notReadyReason() {
    if (index.ready()) {
      return null;
    }
    return index.lastError() == null
        ? "index is not loaded yet"
        : "index not loaded: " + index.lastError();
  }

  /**
   * @throws dev.shopsearch.service.model.NotReadyException if no generation is served
   */
  @Override
  public ProductIndexView acquire() {
    return LuceneIndexView.of(index.acquire(), speller, queries);
  }
}
