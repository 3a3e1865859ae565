package dev.shopsearch.core.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * What spelling correction ("did you mean") corrects and how much, the same on every backend: the
 * words of a query as {@link LexicalAnalysis#english()} cuts them, only alphabetic ones of at least
 * {@link #MIN_LENGTH} letters (numbers, words with digits and CJK text are kept as typed); a word
 * absent from the vocabulary ({@link IndexSchema#SPELLING}) is replaced by the closest vocabulary
 * word with the same first letter and a similarity 1 − edits / length of the shorter word ≥ {@link
 * #ACCURACY} ({@link #maxEdits}: one edit, two from {@link #TWO_EDITS_FROM} letters on). Backends
 * find the replacement their own way (the embedded one with Lucene's {@code DirectSpellChecker},
 * OpenSearch with its term suggester, which wraps the same checker); {@link #rewrite} puts it into
 * the text. Thread-safe.
 */
public final class SpellingWords {
  /** Shortest word that is corrected. */
  public static final int MIN_LENGTH = 4;

  /** Least similarity of a correction: 1 − edits / length of the shorter word. */
  public static final float ACCURACY = 0.7f;

  /** Shortest word that two edits can correct at {@link #ACCURACY}. */
  public static final int TWO_EDITS_FROM = (int) Math.ceil(2 / (1 - ACCURACY) - 1e-6);

  /** Characters a correction must share with the word at its start. */
  public static final int PREFIX_LENGTH = 1;

  private static final String WORD_TYPE = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.ALPHANUM];

  private static final Analyzer ANALYZER = LexicalAnalysis.english();

  /**
   * A correctable word of a text.
   *
   * @param term the word as the vocabulary holds it (lower case)
   * @param start its first character in the text
   * @param end one past its last character
   */
  public record Word(String term, int start, int end) {}

  private SpellingWords() {}

  /** Most edits a correction of {@code word} may make. */
  public static int maxEdits(String word) {
    return word.length() >= TWO_EDITS_FROM ? 2 : 1;
  }

  /** The correctable words of {@code text}, in order. */
  public static List<Word> words(String text) {
    List<Word> out = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream(IndexSchema.NAME, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String word = term.toString();
        if (correctable(word, type.type())) {
          out.add(new Word(word, offset.startOffset(), offset.endOffset()));
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The text with each of {@code words} that {@code fix} corrects replaced, everything else
   * (spacing, case of kept words, CJK text) as given.
   *
   * @param fix a word's replacement, or null to keep it
   * @return the corrected text, or empty when no word was replaced
   */
  public static Optional<String> rewrite(String text, List<Word> words, UnaryOperator<String> fix) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    int copied = 0;
    for (Word w : words) {
      String replacement = fix.apply(w.term());
      if (replacement != null) {
        out.append(text, copied, w.start()).append(replacement);
        copied = w.end();
      }
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

  /** The text of {@link IndexSchema#SPELLING} for a product's texts. */
  public static String vocabularyText(
      String name, String categories, String attributes, String description) {
    return String.join(ProductDocuments.TEXT_SEPARATOR, name, categories, attributes, description);
  }
}
