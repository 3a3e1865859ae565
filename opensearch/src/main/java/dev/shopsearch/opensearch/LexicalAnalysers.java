package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;

/**
 * The {@code settings.analysis} of a generation index: core's {@link LexicalAnalysis} rebuilt from
 * OpenSearch's analysis components (the {@code analysis-common} module), so that a product's terms,
 * and with them its BM25 scores, are the same in both backends.
 *
 * <ul>
 *   <li>char filter {@value #WIDTH}: a {@code mapping} of every rule {@link CJKWidthCharFilter}
 *       applies (full-width ASCII to ASCII, half-width katakana to full width, a half-width voiced
 *       mark joined with the kana before it), enumerated by running that very filter, so the rules
 *       cannot drift from it. OpenSearch's {@code cjk_width} is a <em>token</em> filter, which runs
 *       after the tokenizer and cannot join a mark the tokenizer already split off.
 *   <li>the {@code standard} tokenizer and the {@code lowercase} filter, as in every {@link
 *       LexicalAnalysis} chain;
 *   <li>{@value #ENGLISH} ({@link LexicalAnalysis#english()}): {@code keep_types} excluding {@link
 *       LexicalAnalysis#CJK_TOKEN_TYPES};
 *   <li>{@value #CJK_INDEX} / {@value #CJK_QUERY} ({@link LexicalAnalysis#cjk(boolean) cjk(true)} /
 *       {@code cjk(false)}): {@code cjk_bigram} over Han, Hiragana, Katakana and Hangul with and
 *       without unigrams, then {@code keep_types} of {@link LexicalAnalysis#BIGRAM_TYPES}.
 * </ul>
 *
 * {@link IndexMapping} puts {@value #ENGLISH} on the English lexical fields and the CJK pair
 * (index, search analyser) on their {@link IndexSchema#CJK_TWINS}, like {@link
 * LexicalAnalysis#indexing()} and {@link LexicalAnalysis#querying()}.
 */
public final class LexicalAnalysers {
  /** The analyser of the English lexical fields. */
  public static final String ENGLISH = "shopsearch_english";

  /** The index analyser of the CJK twins (bigrams and unigrams). */
  public static final String CJK_INDEX = "shopsearch_cjk_index";

  /** The search analyser of the CJK twins (bigrams only). */
  public static final String CJK_QUERY = "shopsearch_cjk_query";

  static final String WIDTH = "shopsearch_width";
  private static final String DROP_CJK = "shopsearch_drop_cjk";
  private static final String KEEP_BIGRAMS = "shopsearch_keep_bigrams";
  private static final String BIGRAMS_INDEX = "shopsearch_bigrams_unigrams";
  private static final String BIGRAMS_QUERY = "shopsearch_bigrams";

  /** Where the width rules are looked for: CJK punctuation and kana up to the end of the BMP. */
  private static final int FIRST_CANDIDATE = 0x3000;

  private static final char[] VOICED_MARKS = {'\uFF9E', '\uFF9F'};

  private LexicalAnalysers() {}

  /** The {@code analysis} object of the index settings. */
  public static ObjectNode analysis() {
    ObjectNode analysis = EngineClient.json().createObjectNode();
    ObjectNode width = analysis.putObject("char_filter").putObject(WIDTH);
    width.put("type", "mapping");
    ArrayNode mappings = width.putArray("mappings");
    Holder.WIDTH_RULES.forEach(mappings::add);

    ObjectNode filters = analysis.putObject("filter");
    keepTypes(filters, DROP_CJK, LexicalAnalysis.CJK_TOKEN_TYPES, "exclude");
    keepTypes(filters, KEEP_BIGRAMS, LexicalAnalysis.BIGRAM_TYPES, "include");
    bigrams(filters, BIGRAMS_INDEX, true);
    bigrams(filters, BIGRAMS_QUERY, false);

    ObjectNode analyzers = analysis.putObject("analyzer");
    chain(analyzers, ENGLISH, DROP_CJK);
    chain(analyzers, CJK_INDEX, BIGRAMS_INDEX, KEEP_BIGRAMS);
    chain(analyzers, CJK_QUERY, BIGRAMS_QUERY, KEEP_BIGRAMS);
    return analysis;
  }

  /**
   * The rules of the {@value #WIDTH} mapping char filter, {@code \\uXXXX => \\uXXXX} (escaped so
   * that no rule character is read as syntax).
   */
  static List<String> widthRules() {
    return Holder.WIDTH_RULES;
  }

  private static void keepTypes(
      ObjectNode filters, String name, Iterable<String> types, String mode) {
    ObjectNode f = filters.putObject(name);
    f.put("type", "keep_types");
    ArrayNode t = f.putArray("types");
    new TreeSet<String>(toList(types)).forEach(t::add);
    f.put("mode", mode);
  }

  private static List<String> toList(Iterable<String> values) {
    List<String> out = new ArrayList<>();
    values.forEach(out::add);
    return out;
  }

  private static void bigrams(ObjectNode filters, String name, boolean unigrams) {
    ObjectNode f = filters.putObject(name);
    f.put("type", "cjk_bigram");
    f.putArray("ignored_scripts"); // all four scripts, as LexicalAnalysis's CJK_SCRIPTS
    f.put("output_unigrams", unigrams);
  }

  private static void chain(ObjectNode analyzers, String name, String... afterLowercase) {
    ObjectNode a = analyzers.putObject(name);
    a.put("type", "custom");
    a.putArray("char_filter").add(WIDTH);
    a.put("tokenizer", "standard");
    ArrayNode f = a.putArray("filter").add("lowercase");
    for (String s : afterLowercase) {
      f.add(s);
    }
  }

  /** Computed once: ~100k runs of the char filter over single characters and pairs. */
  private static final class Holder {
    static final List<String> WIDTH_RULES = computeWidthRules();
  }

  private static List<String> computeWidthRules() {
    List<String> rules = new ArrayList<>();
    for (int c = FIRST_CANDIDATE; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      String in = String.valueOf((char) c);
      String out = fold(in);
      if (!out.equals(in)) {
        rules.add(rule(in, out));
      }
      for (char mark : VOICED_MARKS) {
        String pair = in + mark;
        String joined = fold(pair);
        if (!joined.equals(out + fold(String.valueOf(mark)))) {
          rules.add(rule(pair, joined));
        }
      }
    }
    for (int c = 0; c < FIRST_CANDIDATE; c++) {
      String in = String.valueOf((char) c);
      if (!fold(in).equals(in)) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "CJKWidthCharFilter changes U+%04X, below the searched range U+%04X",
                c,
                FIRST_CANDIDATE));
      }
    }
    return List.copyOf(rules);
  }

  private static String fold(String s) {
    try (Reader r = new CJKWidthCharFilter(new StringReader(s))) {
      StringBuilder out = new StringBuilder();
      int ch;
      while ((ch = r.read()) != -1) {
        out.append((char) ch);
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rule(String from, String to) {
    return escape(from) + " => " + escape(to);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      b.append(String.format(Locale.ROOT, "\\u%04X", (int) s.charAt(i)));
    }
    return b.toString();
  }
}
