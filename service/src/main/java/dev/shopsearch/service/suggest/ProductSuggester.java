package dev.shopsearch.service.suggest;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.search.LuceneLabels;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.ProductLabels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.suggest.InputIterator;
import org.apache.lucene.search.suggest.Lookup;
import org.apache.lucene.search.suggest.analyzing.AnalyzingInfixSuggester;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Autocompletion of the product names and category paths of one index generation: Lucene's {@link
 * AnalyzingInfixSuggester} over the distinct names (case-insensitive; the first spelling in string
 * order is shown) and every category path and path prefix, each weighted by its number of products,
 * in memory. The last word typed is a prefix of any word of an entry ({@code flo} → {@code Red
 * Floral Dress}), the earlier ones must all match; CJK text is matched by bigrams ({@link
 * LexicalAnalysis#mixed(boolean)}). Results come most products first. Lookups are thread-safe;
 * built once, then read-only.
 */
public final class ProductSuggester implements Closeable {
  private final AnalyzingInfixSuggester suggester;
  private final ByteBuffersDirectory dir;
  private final int entries;

  private ProductSuggester(
      AnalyzingInfixSuggester suggester, ByteBuffersDirectory dir, int entries) {
    this.suggester = suggester;
    this.dir = dir;
    this.entries = entries;
  }

  /** Where a suggester's products come from: {@link ProductIndexView#forEachLabels}. */
  @FunctionalInterface
  public interface LabelSource {
    /** Hands every product's labels to {@code sink}. */
    void forEach(Consumer<ProductLabels> sink) throws IOException;
  }

  /**
   * Builds the suggester from the stored names and categories of the live product documents.
   *
   * @param reader an index of {@link IndexSchema}'s layout
   */
  public static ProductSuggester build(IndexReader reader) throws IOException {
    return build(sink -> LuceneLabels.forEach(reader, sink));
  }

  /**
   * Builds the suggester from the names and category paths of a generation's products, on any
   * backend ({@code view::forEachLabels}): the same entries give the same suggestions.
   */
  public static ProductSuggester build(LabelSource products) throws IOException {
    Map<String, Entry> byKey = new HashMap<>();
    products.forEach(p -> add(byKey, p));
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    AnalyzingInfixSuggester suggester =
        new AnalyzingInfixSuggester(
            dir,
            LexicalAnalysis.mixed(true),
            LexicalAnalysis.mixed(false),
            AnalyzingInfixSuggester.DEFAULT_MIN_PREFIX_CHARS,
            false,
            true,
            false,
            true);
    try {
      // by key, so that equal weights come in the same order whatever order the backend listed in
      List<Entry> sorted = new ArrayList<>(new TreeMap<>(byKey).values());
      suggester.build(new Entries(sorted));
    } catch (IOException | RuntimeException e) {
      suggester.close();
      throw e;
    }
    return new ProductSuggester(suggester, dir, byKey.size());
  }

  /** Counts the name and every category path prefix of one product (each once per product). */
  private static void add(Map<String, Entry> byKey, ProductLabels product) {
    String name = product.name();
    if (name != null && !name.isBlank()) {
      count(byKey, name.strip(), Suggestion.PRODUCT);
    }
    Set<String> paths = new LinkedHashSet<>();
    for (String path : product.categoryPaths()) {
      StringBuilder prefix = new StringBuilder();
      for (String segment : path.split("/")) {
        if (segment.isBlank()) {
          continue;
        }
        if (!prefix.isEmpty()) {
          prefix.append(" / ");
        }
        prefix.append(segment.strip());
        paths.add(prefix.toString());
      }
    }
    for (String path : paths) {
      count(byKey, path, Suggestion.CATEGORY);
    }
  }

  private static void count(Map<String, Entry> byKey, String text, String kind) {
    String key = kind + '\u0000' + text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    Entry e = byKey.computeIfAbsent(key, k -> new Entry(text, kind));
    e.products++;
    if (text.compareTo(e.text) < 0) {
      e.text = text; // the same spelling of a name whatever order the backend listed in
    }
  }

  /**
   * Completions of {@code prefix}, most products first.
   *
   * @param prefix what the shopper has typed so far
   * @param k most completions returned
   */
  public List<Suggestion> lookup(String prefix, int k) throws IOException {
    if (entries == 0) {
      return List.of();
    }
    List<Suggestion> out = new ArrayList<>();
    for (Lookup.LookupResult r : suggester.lookup(prefix, (Set<BytesRef>) null, k, true, false)) {
      out.add(new Suggestion(r.key.toString(), r.payload.utf8ToString(), r.value));
    }
    return out;
  }

  /** Distinct names and category paths held. */
  public int entries() {
    return entries;
  }

  /** Size of its in-memory index, in bytes. */
  public long ramBytesUsed() throws IOException {
    long bytes = 0;
    for (String file : dir.listAll()) {
      bytes += dir.fileLength(file);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    suggester.close();
  }

  /** A name or path and how many products carry it. */
  private static final class Entry {
    String text;
    final String kind;
    long products;

    Entry(String text, String kind) {
      this.text = text;
      this.kind = kind;
    }
  }

  /** The entries as the suggester's input: text, weight = products, payload = kind. */
  private static final class Entries implements InputIterator {
    private final Iterator<Entry> it;
    private Entry current;

    Entries(List<Entry> entries) {
      this.it = entries.iterator();
    }

    @Override
    public BytesRef next() {
      if (!it.hasNext()) {
        current = null;
        return null;
      }
      current = it.next();
      return new BytesRef(current.text);
    }

    @Override
    public long weight() {
      return current.products;
    }

    @Override
    public BytesRef payload() {
      return new BytesRef(current.kind.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasPayloads() {
      return true;
    }

    @Override
    public Set<BytesRef> contexts() {
      return null;
    }

    @Override
    public boolean hasContexts() {
      return false;
    }
  }
}
