package dev.shopsearch.core.index;

import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;
import org.apache.lucene.analysis.core.TypeTokenFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The text analysis of the lexical fields of {@link IndexSchema}, shared by the indexer (writes)
 * and the service (queries, spelling, suggestions). Every analyzer starts the same way: full- and
 * half-width forms folded ({@link CJKWidthCharFilter}: {@code ｒｅｄ} is {@code red}), Unicode word
 * segmentation ({@link StandardTokenizer}, which cuts Han text into single characters), lower case.
 * Then:
 *
 * <ul>
 *   <li>{@link #english()}: the words of alphabetic scripts, numbers and the like; tokens of the
 *       CJK scripts (Han, Hiragana, Katakana, Hangul) are dropped. Used for {@link
 *       IndexSchema#NAME}, {@link IndexSchema#DESCRIPTION}, {@link IndexSchema#CATEGORIES_TEXT},
 *       {@link IndexSchema#ATTRIBUTES_TEXT}.
 *   <li>{@link #cjk(boolean)}: overlapping bigrams of CJK runs ({@code 碎花连衣裙} → {@code 碎花 花连 连衣
 *       衣裙}), every other token dropped. Used for the {@code *_cjk} fields. Documents are indexed
 *       with unigrams as well ({@code cjk(true)}), queries use bigrams only ({@code cjk(false)}),
 *       so {@code 碎花} matches the word and never a product that merely shares {@code 碎} or {@code
 *       花}, while a one-character query (emitted as a unigram) still finds that character.
 *   <li>{@link #mixed(boolean)}: both at once in one stream (alphabetic words and CJK bigrams), for
 *       a single field holding text of either script (the service's suggester).
 * </ul>
 *
 * <p>Analyzers are thread-safe; callers own the instances these factories return and close them
 * when done (an {@code IndexWriterConfig} closes its own).
 */
public final class LexicalAnalysis {
  /**
   * Token types of {@link StandardTokenizer} for the scripts that {@link #cjk} handles ({@link
   * #english()} drops them). Public so that another engine's analyser can be built from the same
   * description (the OpenSearch mapping's {@code keep_types} filters).
   */
  public static final Set<String> CJK_TOKEN_TYPES =
      Set.of(
          StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC],
          StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HIRAGANA],
          StandardTokenizer.TOKEN_TYPES[StandardTokenizer.KATAKANA],
          StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HANGUL]);

  private static final int CJK_SCRIPTS =
      CJKBigramFilter.HAN
          | CJKBigramFilter.HIRAGANA
          | CJKBigramFilter.KATAKANA
          | CJKBigramFilter.HANGUL;

  /** Token types of {@link CJKBigramFilter}'s output that {@link #cjk} keeps. */
  public static final Set<String> BIGRAM_TYPES =
      Set.of(CJKBigramFilter.DOUBLE_TYPE, CJKBigramFilter.SINGLE_TYPE);

  private LexicalAnalysis() {}

  /**
   * The analyzer for {@code IndexWriterConfig}: {@link #english()} for every field, {@link
   * #cjk(boolean) cjk(true)} for the {@code *_cjk} fields of {@link IndexSchema}.
   */
  public static Analyzer indexing() {
    return perField(cjk(true));
  }

  /**
   * The analyzer for queries against the lexical fields: {@link #english()}, and {@link
   * #cjk(boolean) cjk(false)} for the {@code *_cjk} fields.
   */
  public static Analyzer querying() {
    return perField(cjk(false));
  }

  /** Whether {@code field} is one of the CJK-analysed fields of {@link IndexSchema}. */
  public static boolean isCjkField(String field) {
    return IndexSchema.CJK_TWINS.containsValue(field);
  }

  /**
   * Whether {@code text} has at least one character of a CJK script (Han, Hiragana, Katakana,
   * Hangul); text without one gives no token in a {@code *_cjk} field.
   */
  public static boolean hasCjk(CharSequence text) {
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      if (script == Character.UnicodeScript.HAN
          || script == Character.UnicodeScript.HIRAGANA
          || script == Character.UnicodeScript.KATAKANA
          || script == Character.UnicodeScript.HANGUL) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  /** Alphabetic words, numbers and the like, lower-cased; CJK-script tokens are dropped. */
  public static Analyzer english() {
    return new Chain() {
      @Override
      TokenStream filter(TokenStream lowerCased) {
        return new TypeTokenFilter(lowerCased, CJK_TOKEN_TYPES);
      }
    };
  }

  /**
   * CJK bigrams only.
   *
   * @param unigrams also emit every CJK character on its own (for documents); without them a
   *     character is emitted alone only when it has no CJK neighbour (for queries)
   */
  public static Analyzer cjk(boolean unigrams) {
    return new Chain() {
      @Override
      TokenStream filter(TokenStream lowerCased) {
        return new TypeTokenFilter(
            new CJKBigramFilter(lowerCased, CJK_SCRIPTS, unigrams), BIGRAM_TYPES, true);
      }
    };
  }

  /**
   * Alphabetic words and CJK bigrams in one stream.
   *
   * @param unigrams as for {@link #cjk(boolean)}
   */
  public static Analyzer mixed(boolean unigrams) {
    return new Chain() {
      @Override
      TokenStream filter(TokenStream lowerCased) {
        return new CJKBigramFilter(lowerCased, CJK_SCRIPTS, unigrams);
      }
    };
  }

  private static Analyzer perField(Analyzer cjk) {
    Map<String, Analyzer> fields = new HashMap<>();
    for (String field : IndexSchema.CJK_TWINS.values()) {
      fields.put(field, cjk);
    }
    return new PerFieldAnalyzerWrapper(english(), fields);
  }

  /** Width folding, standard tokenizer, lower case, then {@link #filter}. */
  private abstract static class Chain extends Analyzer {
    abstract TokenStream filter(TokenStream lowerCased);

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
      return new CJKWidthCharFilter(reader);
    }

    @Override
    protected Reader initReaderForNormalization(String fieldName, Reader reader) {
      return new CJKWidthCharFilter(reader);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      Tokenizer source = new StandardTokenizer();
      return new TokenStreamComponents(source, filter(new LowerCaseFilter(source)));
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
      return new LowerCaseFilter(in);
    }
  }
}
