package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.service.facets.CategoryNode;
import dev.shopsearch.service.facets.FacetCounts;
import dev.shopsearch.service.facets.FacetValue;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.facets.PriceBucket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facet counts over a real index against a brute-force count over the catalog: each facet counts
 * the products that match the query and every filter except the facet's own (disjunctive).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard only; nothing asserts a duration
class SearchFacetsTest {
  @TempDir static Path root;
  static ResultListFixture fx;
  static final List<Double> BOUNDS = List.of(25.0, 50.0, 100.0, 200.0);

  @BeforeAll
  static void open() throws Exception {
    ResultListFixture.publish(root);
    fx = new ResultListFixture(root, Map.of(), FacetsProperties.DEFAULTS);
  }

  @AfterAll
  static void close() {
    fx.close();
  }

  /** The filters as predicates over products, by facet group. */
  record Brute(Predicate<Product> text, SearchFilters f) {
    boolean category(Product p) {
      return f.categories().isEmpty()
          || ProductDocuments.categoryKeys(p.categories()).stream()
              .anyMatch(f.categories()::contains);
    }

    boolean colour(Product p) {
      return f.colours().isEmpty() || f.colours().contains(p.colour());
    }

    boolean price(Product p) {
      return (f.minPrice() == null && f.maxPrice() == null)
          || (p.price() != null
              && (f.minPrice() == null || p.price() >= f.minPrice())
              && (f.maxPrice() == null || p.price() <= f.maxPrice()));
    }

    boolean stock(Product p) {
      return f.inStock() == null || f.inStock().equals(p.inStock());
    }

    boolean attributes(Product p, String except) {
      for (Map.Entry<String, List<String>> e : f.attributes().entrySet()) {
        if (!e.getKey().equals(except)
            && e.getValue().stream().noneMatch(p.attributes().get(e.getKey())::contains)) {
          return false;
        }
      }
      return true;
    }

    /** Products matching the text and every filter group except {@code except}. */
    List<Product> matching(String except) {
      List<Product> out = new ArrayList<>();
      for (Product p : ResultListFixture.catalog()) {
        if (text.test(p)
            && (except.equals("category") || category(p))
            && (except.equals("colour") || colour(p))
            && (except.equals("price") || price(p))
            && (except.equals("stock") || stock(p))
            && attributes(p, except)) {
          out.add(p);
        }
      }
      return out;
    }

    Map<String, Integer> count(String except, Function<Product, List<String>> values) {
      Map<String, Integer> out = new TreeMap<>();
      for (Product p : matching(except)) {
        for (String v : values.apply(p)) {
          out.merge(v, 1, Integer::sum);
        }
      }
      return out;
    }
  }

  /** The values with a count (a selected value is listed even when it has none). */
  static Map<String, Integer> counts(List<FacetValue> values) {
    Map<String, Integer> out = new TreeMap<>();
    for (FacetValue v : values) {
      assertThat(v.count() > 0 || v.selected()).as("%s", v).isTrue();
      if (v.count() > 0) {
        out.put(v.value(), v.count());
      }
    }
    return out;
  }

  static void flatten(List<CategoryNode> nodes, Map<String, Integer> out) {
    for (CategoryNode n : nodes) {
      out.put(n.value(), n.count());
      assertThat(n.value()).endsWith(n.label());
      flatten(n.children(), out);
    }
  }

  static void assertFacets(FacetCounts got, Brute b, int total) {
    assertThat(b.matching("").size()).isEqualTo(total);
    assertThat(counts(got.colour())).isEqualTo(b.count("colour", p -> List.of(p.colour())));
    Map<String, Integer> tree = new TreeMap<>();
    flatten(got.category(), tree);
    assertThat(tree)
        .isEqualTo(
            b.count("category", p -> List.copyOf(ProductDocuments.categoryKeys(p.categories()))));
    for (String a : List.of("pattern", "gender")) {
      assertThat(counts(got.attributes().get(a)))
          .as(a)
          .isEqualTo(b.count(a, p -> p.attributes().get(a)));
    }
    // 60 distinct captions > max-attribute-values (50): free text is no facet
    assertThat(got.attributes()).doesNotContainKey("caption");
    assertThat(counts(got.inStock()))
        .isEqualTo(
            b.count(
                "stock", p -> p.inStock() == null ? List.of() : List.of(p.inStock().toString())));
    Map<String, Integer> buckets = new TreeMap<>();
    for (Product p : b.matching("price")) {
      if (p.price() != null) {
        int i = 0;
        while (i < BOUNDS.size() && p.price() >= BOUNDS.get(i)) {
          i++;
        }
        buckets.merge(Integer.toString(i), 1, Integer::sum);
      }
    }
    Map<String, Integer> gotBuckets = new TreeMap<>();
    for (int i = 0; i < got.price().size(); i++) {
      if (got.price().get(i).count() > 0) {
        gotBuckets.put(Integer.toString(i), got.price().get(i).count());
      }
    }
    assertThat(gotBuckets).isEqualTo(buckets);
    assertThat(got.price()).hasSize(BOUNDS.size() + 1);
    assertThat(got.price().get(0))
        .isEqualTo(new PriceBucket(null, 25.0, got.price().get(0).count(), false));
  }

  static FacetCounts facets(String text, SearchMode mode, SearchFilters f) {
    SearchResponse r =
        fx.search(text, mode, f, 5, 0, new ResultOptions(SortOrder.RELEVANCE, null, true));
    assertThat(r.facets()).isNotNull();
    return r.facets();
  }

  @Test
  void lexicalFacetsCountTheMatchSetWithoutTheirOwnSelection() {
    Predicate<Product> cotton = p -> p.description().endsWith("cotton");
    for (SearchFilters f :
        List.of(
            SearchFilters.NONE,
            SearchFilters.of(null, List.of("red", "Blue"), null, null, null, null),
            SearchFilters.of(
                List.of("Women"),
                List.of("red"),
                20.0,
                150.0,
                true,
                Map.of("pattern", List.of("floral", "solid"))),
            SearchFilters.of(List.of("Women / Shoes"), null, null, null, false, null))) {
      SearchResponse r =
          fx.search(
              "cotton",
              SearchMode.LEXICAL,
              f,
              5,
              0,
              new ResultOptions(SortOrder.RELEVANCE, null, true));
      assertFacets(r.facets(), new Brute(cotton, f), r.total());
    }
  }

  @Test
  void vectorFacetsRunTheKnnAgainWithoutTheFacetsOwnSelection() {
    // floor 0 and 1000 candidates: the vector match set is every product passing the filters
    SearchFilters f =
        SearchFilters.of(
            List.of("Men"),
            List.of("black"),
            null,
            120.0,
            null,
            Map.of("pattern", List.of("striped")));
    SearchResponse r =
        fx.search(
            "black striped shirt",
            SearchMode.VECTOR,
            f,
            5,
            0,
            new ResultOptions(SortOrder.RELEVANCE, null, true));
    assertFacets(r.facets(), new Brute(p -> true, f), r.total());
    // hybrid: the union of the two, so again every product passing the filters
    SearchResponse h =
        fx.search(
            "cotton",
            SearchMode.HYBRID,
            f,
            5,
            0,
            new ResultOptions(SortOrder.PRICE_ASC, null, true));
    assertFacets(h.facets(), new Brute(p -> true, f), h.total());
  }

  @Test
  void selectingAColourKeepsTheOtherColoursCountsAndMarksTheSelection() {
    FacetCounts none = facets("cotton", SearchMode.LEXICAL, SearchFilters.NONE);
    FacetCounts red =
        facets(
            "cotton",
            SearchMode.LEXICAL,
            SearchFilters.of(null, List.of("red"), null, null, null, null));
    assertThat(counts(red.colour())).isEqualTo(counts(none.colour())).hasSize(5);
    assertThat(red.colour())
        .filteredOn(FacetValue::selected)
        .extracting(FacetValue::value)
        .containsExactly("red");
    // the other facets are narrowed to red products
    int women = 0;
    for (CategoryNode n : red.category()) {
      if (n.value().equals("women")) {
        women = n.count();
        assertThat(n.children())
            .extracting(CategoryNode::value)
            .containsExactly("women/dresses"); // red cotton: dresses and jackets
      }
    }
    assertThat(women).isPositive().isLessThan(counts(none.colour()).get("red") + 1);
  }

  @Test
  void withoutTheFlagThereAreNoFacets() {
    SearchResponse r =
        fx.search("cotton", SearchMode.LEXICAL, SearchFilters.NONE, 5, 0, ResultOptions.DEFAULT);
    assertThat(r.facets()).isNull();
    assertThat(r.timings()).doesNotContainKey("facets");
  }
}
