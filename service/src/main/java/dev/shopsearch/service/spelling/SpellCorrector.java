package dev.shopsearch.service.spelling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.SpellingWords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Corrects misspelt words of a query from the catalog's own vocabulary: the terms of the searched
 * index's {@link IndexSchema#SPELLING} field (name, categories, attributes and description; the
 * English fields themselves for an index of schema version 1), through Lucene's {@link
 * DirectSpellChecker} (Damerau–Levenshtein automata over the term dictionary; nothing is built or
 * stored). A word that is not in the vocabulary is replaced by the closest word that is: same first
 * letter, similarity 1 − edits / length of the shorter word ≥ {@link #ACCURACY} (so one edit from
 * {@link #MIN_LENGTH} letters on, two from {@link #TWO_EDITS_FROM}), the more frequent on a tie.
 * Shorter words, words with digits and CJK text are kept as typed. {@code "red flroal dres"}
 * becomes {@code "red floral dress"} on a catalog of dresses. The corrections of the last {@value
 * #CACHED_WORDS} unknown words are remembered per index generation. Thread-safe.
 */
public final class SpellCorrector {
  /** The vocabulary of an index of schema version 1, which has no spelling field. */
  static final List<String> LEGACY_VOCABULARY =
      List.of(IndexSchema.NAME, IndexSchema.CATEGORIES_TEXT, IndexSchema.DESCRIPTION);

  /** Shortest word that is corrected ({@link SpellingWords#MIN_LENGTH}). */
  public static final int MIN_LENGTH = SpellingWords.MIN_LENGTH;

  /** Least similarity of a correction ({@link SpellingWords#ACCURACY}). */
  public static final float ACCURACY = SpellingWords.ACCURACY;

  /** Shortest word that two edits can correct ({@link SpellingWords#TWO_EDITS_FROM}). */
  public static final int TWO_EDITS_FROM = SpellingWords.TWO_EDITS_FROM;

  /** Most unknown words whose correction is remembered (per index generation). */
  static final int CACHED_WORDS = 10_000;

  /** For words shorter than {@link #TWO_EDITS_FROM}: no two-edit automaton is built for them. */
  private final DirectSpellChecker oneEdit = checker(1);

  private final DirectSpellChecker twoEdits = checker(2);

  /** Corrections of unknown words ("" = none) per generation: typos repeat, automata cost. */
  private final Cache<UnknownWord, String> corrections =
      Caffeine.newBuilder().maximumSize(CACHED_WORDS).build();

  /** An unknown word of one index generation (its reader's cache key). */
  private record UnknownWord(Object reader, String word) {}

  /** A corrector, its automaton tables loaded (so that the first query does not pay for it). */
  public SpellCorrector() {
    warmUp();
  }

  private static DirectSpellChecker checker(int maxEdits) {
    DirectSpellChecker c = new DirectSpellChecker();
    c.setMaxEdits(maxEdits);
    c.setAccuracy(ACCURACY);
    c.setMinQueryLength(MIN_LENGTH);
    return c;
  }

  /**
   * The text with its unknown words replaced, everything else (spacing, case of kept words, CJK
   * text) as given.
   *
   * @param reader the searched index
   * @param index its metadata (the schema version says where the vocabulary is)
   * @param text the query text
   * @param searchNew whether an unknown word without a remembered correction may be looked up (an
   *     automaton each); false keeps such words as typed (when a request is short of time)
   * @return the corrected text, or empty when no word was replaced
   */
  public Optional<String> correct(
      IndexReader reader, IndexMetadata index, String text, boolean searchNew) {
    List<String> vocabulary =
        index.hasLexicalFields() ? List.of(IndexSchema.SPELLING) : LEGACY_VOCABULARY;
    return SpellingWords.rewrite(
        text,
        SpellingWords.words(text),
        word -> {
          try {
            return correction(reader, vocabulary, word, searchNew);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The best replacement of a word absent from every vocabulary field, or null. */
  private String correction(
      IndexReader reader, List<String> vocabulary, String word, boolean searchNew)
      throws IOException {
    for (String field : vocabulary) {
      if (reader.docFreq(new Term(field, word)) > 0) {
        return null;
      }
    }
    IndexReader.CacheHelper generation = reader.getReaderCacheHelper();
    if (generation == null) {
      return searchNew ? suggestion(reader, vocabulary, word) : null;
    }
    UnknownWord key = new UnknownWord(generation.getKey(), word);
    if (!searchNew) {
      String known = corrections.getIfPresent(key);
      return known == null || known.isEmpty() ? null : known;
    }
    String fix =
        corrections.get(
            key,
            k -> {
              try {
                String s = suggestion(reader, vocabulary, word);
                return s == null ? "" : s;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return fix.isEmpty() ? null : fix;
  }

  /** The closest vocabulary word to an unknown word, or null. */
  private String suggestion(IndexReader reader, List<String> vocabulary, String word)
      throws IOException {
    DirectSpellChecker checker = SpellingWords.maxEdits(word) == 2 ? twoEdits : oneEdit;
    SuggestWord best = null;
    for (String field : vocabulary) {
      SuggestWord[] s =
          checker.suggestSimilar(
              new Term(field, word), 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      if (s.length > 0 && (best == null || checker.getComparator().compare(s[0], best) > 0)) {
        best = s[0];
      }
    }
    return best == null ? null : best.string;
  }

  /** Corrects a one- and a two-edit typo against a one-document index. */
  private void warmUp() {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(LexicalAnalysis.english()))) {
        Document d = new Document();
        d.add(new TextField(IndexSchema.NAME, "dress striped", Field.Store.NO));
        w.addDocument(d);
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        suggestion(r, List.of(IndexSchema.NAME), "dres");
        suggestion(r, List.of(IndexSchema.NAME), "stirpde");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
