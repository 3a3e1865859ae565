package dev.shopsearch.service.spelling;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;

/**
 * Corrects misspelt words of a query from the catalog's own vocabulary: the terms of the English
 * lexical fields of the searched index ({@link #VOCABULARY}), through Lucene's {@link
 * DirectSpellChecker} (Damerau–Levenshtein automata over the term dictionary; nothing is built or
 * stored). Only a word that is in none of those fields is replaced, by the closest word that is (at
 * most 2 edits, same first letter, similarity ≥ {@link #ACCURACY}, the more frequent on a tie);
 * words shorter than {@link #MIN_LENGTH} letters, numbers and CJK text are kept as typed. {@code
 * "red flroal dres"} becomes {@code "red floral dress"} on a catalog of dresses. Thread-safe.
 */
public final class SpellCorrector {
  /** The fields whose terms are the vocabulary, in order of preference on equal suggestions. */
  public static final List<String> VOCABULARY =
      List.of(
          IndexSchema.NAME,
          IndexSchema.CATEGORIES_TEXT,
          IndexSchema.ATTRIBUTES_TEXT,
          IndexSchema.DESCRIPTION);

  /** Shortest word that is corrected. */
  public static final int MIN_LENGTH = 4;

  /**
   * Least similarity (1 − edits / length of the shorter word) of a correction: one edit from 4
   * letters on, two from 7.
   */
  public static final float ACCURACY = 0.7f;

  private static final String WORD_TYPE = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.ALPHANUM];

  private final DirectSpellChecker checker = new DirectSpellChecker();
  private final Analyzer analyzer = LexicalAnalysis.english();

  public SpellCorrector() {
    checker.setAccuracy(ACCURACY);
    checker.setMinQueryLength(MIN_LENGTH);
  }

  /**
   * The text with its unknown words replaced, everything else (spacing, case of kept words, CJK
   * text) as given.
   *
   * @param reader the searched index
   * @param text the query text
   * @return the corrected text, or empty when no word was replaced
   */
  public Optional<String> correct(IndexReader reader, String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    int copied = 0;
    try (TokenStream ts = analyzer.tokenStream(IndexSchema.NAME, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String word = term.toString();
        if (!correctable(word, type.type())) {
          continue;
        }
        String fix = correction(reader, word);
        if (fix != null) {
          out.append(text, copied, offset.startOffset()).append(fix);
          copied = offset.endOffset();
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (copied == 0) {
      return Optional.empty();
    }
    return Optional.of(out.append(text, copied, text.length()).toString());
  }

  private static boolean correctable(String word, String type) {
    if (!WORD_TYPE.equals(type) || word.length() < MIN_LENGTH) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (!Character.isLetter(word.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The best replacement of a word absent from every vocabulary field, or null. */
  private String correction(IndexReader reader, String word) throws IOException {
    for (String field : VOCABULARY) {
      if (reader.docFreq(new Term(field, word)) > 0) {
        return null;
      }
    }
    SuggestWord best = null;
    for (String field : VOCABULARY) {
      SuggestWord[] s =
          checker.suggestSimilar(
              new Term(field, word), 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      if (s.length > 0 && (best == null || checker.getComparator().compare(s[0], best) > 0)) {
        best = s[0];
      }
    }
    return best == null ? null : best.string;
  }
}
