package dev.shopsearch.opensearch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the vocabulary of one generation said of the words looked up in it: the correction of an
 * unknown word, or {@code ""} for a known word or one without a correction. A generation never
 * changes, so an answer holds as long as the generation is served; the least recently used of more
 * than {@link #MAX_WORDS} words are forgotten. Thread-safe.
 */
final class SpellingCache {
  /** Most words remembered per generation. */
  static final int MAX_WORDS = 10_000;

  private final Map<String, String> words =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_WORDS;
        }
      };

  /**
   * The remembered answer for {@code word}: its correction, {@code ""} for none, null if unknown.
   */
  synchronized String get(String word) {
    return words.get(word);
  }

  /** Remembers the answer for {@code word} ({@code ""} for none). */
  synchronized void put(String word, String correction) {
    words.put(word, correction);
  }

  synchronized int size() {
    return words.size();
  }
}
