package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TestIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result list of a search over a real index: the total is the size of the match set and the
 * same on every page, pages never repeat a product and together are the match set, cursor paging
 * gives exactly the offset pages, and every sort order holds over the whole list. The expected
 * values come from the catalog, not from the index.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard only; nothing asserts a duration
class ResultListTest {
  @TempDir static Path root;
  static ResultListFixture fx;
  static final Map<String, Product> BY_ID = new HashMap<>();

  @BeforeAll
  static void open() throws Exception {
    ResultListFixture.publish(root);
    fx = new ResultListFixture(root, Map.of(), FacetsProperties.DEFAULTS);
    for (Product p : ResultListFixture.catalog()) {
      BY_ID.put(p.id(), p);
    }
  }

  @AfterAll
  static void close() {
    fx.close();
  }

  /** Every page of a query by offset, k at a time, until one comes back short. */
  static List<SearchResponse> offsetPages(
      String text, SearchMode mode, SearchFilters f, SortOrder sort, int k) {
    List<SearchResponse> pages = new ArrayList<>();
    for (int offset = 0; ; offset += k) {
      SearchResponse r = fx.search(text, mode, f, k, offset, new ResultOptions(sort, null, false));
      pages.add(r);
      if (r.hits().size() < k) {
        return pages;
      }
    }
  }

  /** Every page of a query by cursor. */
  static List<SearchResponse> cursorPages(
      String text, SearchMode mode, SearchFilters f, SortOrder sort, int k) {
    List<SearchResponse> pages = new ArrayList<>();
    String cursor = null;
    do {
      SearchResponse r = fx.search(text, mode, f, k, 0, new ResultOptions(sort, cursor, false));
      pages.add(r);
      cursor = r.nextCursor();
    } while (cursor != null);
    return pages;
  }

  static List<String> ids(List<SearchResponse> pages) {
    List<String> out = new ArrayList<>();
    for (SearchResponse r : pages) {
      for (SearchHit h : r.hits()) {
        out.add(h.id());
      }
    }
    return out;
  }

  static Set<String> matching(java.util.function.Predicate<Product> p) {
    Set<String> out = new HashSet<>();
    for (Product x : BY_ID.values()) {
      if (p.test(x)) {
        out.add(x.id());
      }
    }
    return out;
  }

  @Test
  void theTotalIsTheMatchSetOnEveryPageAndThePagesAreItWithoutRepeats() {
    SearchFilters red = SearchFilters.of(null, List.of("red"), null, null, null, null);
    record Case(String text, SearchMode mode, SearchFilters filters, Set<String> expected) {}
    List<Case> cases =
        List.of(
            // lexical: every BM25 match passing the filters
            new Case(
                "cotton",
                SearchMode.LEXICAL,
                SearchFilters.NONE,
                matching(p -> p.description().endsWith("cotton"))),
            new Case(
                "cotton",
                SearchMode.LEXICAL,
                red,
                matching(p -> p.description().endsWith("cotton") && p.colour().equals("red"))),
            // vector with floor 0 and 1000 candidates: every product passing the filters
            new Case("green dress", SearchMode.VECTOR, SearchFilters.NONE, BY_ID.keySet()),
            new Case(
                "green dress", SearchMode.VECTOR, red, matching(p -> p.colour().equals("red"))),
            // hybrid: the union
            new Case("linen", SearchMode.HYBRID, red, matching(p -> p.colour().equals("red"))));
    for (Case c : cases) {
      for (SortOrder sort : SortOrder.values()) {
        List<SearchResponse> pages = offsetPages(c.text(), c.mode(), c.filters(), sort, 4);
        assertThat(pages).as("%s %s", c, sort).hasSizeGreaterThan(1);
        for (SearchResponse r : pages) {
          assertThat(r.total())
              .as("total of every page, %s %s", c, sort)
              .isEqualTo(c.expected().size());
        }
        List<String> all = ids(pages);
        assertThat(all).as("%s %s", c, sort).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).as("%s %s", c, sort).isEqualTo(c.expected());
        assertThat(pages.get(pages.size() - 1).nextCursor()).isNull();
      }
    }
  }

  @Test
  void cursorPagingGivesTheOffsetPages() {
    for (SearchMode mode : SearchMode.values()) {
      for (SortOrder sort : SortOrder.values()) {
        List<SearchResponse> byOffset =
            offsetPages("cotton dress", mode, SearchFilters.NONE, sort, 6);
        List<SearchResponse> byCursor =
            cursorPages("cotton dress", mode, SearchFilters.NONE, sort, 6);
        assertThat(ids(byCursor)).as("%s %s", mode, sort).isEqualTo(ids(byOffset));
        assertThat(ids(byCursor)).hasSize(byCursor.get(0).total());
      }
    }
  }

  @Test
  void sortOrdersHoldOverTheWholeListWithTheProductIdAsTieBreak() {
    Comparator<Product> byId = Comparator.comparing(Product::id);
    Comparator<Product> priceAsc =
        Comparator.comparing(Product::price, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(byId);
    Comparator<Product> priceDesc =
        Comparator.comparing(
                Product::price, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(byId);
    Comparator<Product> newest =
        Comparator.comparingLong(Product::row).reversed().thenComparing(byId);
    Map<SortOrder, Comparator<Product>> expected =
        Map.of(
            SortOrder.PRICE_ASC,
            priceAsc,
            SortOrder.PRICE_DESC,
            priceDesc,
            SortOrder.NEWEST,
            newest);
    for (SearchMode mode : SearchMode.values()) {
      for (Map.Entry<SortOrder, Comparator<Product>> e : expected.entrySet()) {
        List<String> got = ids(offsetPages("linen", mode, SearchFilters.NONE, e.getKey(), 9));
        List<String> sorted =
            got.stream().map(BY_ID::get).sorted(e.getValue()).map(Product::id).toList();
        assertThat(got).as("%s %s", mode, e.getKey()).isEqualTo(sorted);
      }
      List<SearchHit> relevance = new ArrayList<>();
      offsetPages("linen", mode, SearchFilters.NONE, SortOrder.RELEVANCE, 9)
          .forEach(r -> relevance.addAll(r.hits()));
      for (int i = 1; i < relevance.size(); i++) {
        assertThat(relevance.get(i).score()).isLessThanOrEqualTo(relevance.get(i - 1).score());
      }
    }
    // products without a price come last in both directions
    List<String> asc =
        ids(offsetPages("linen", SearchMode.LEXICAL, SearchFilters.NONE, SortOrder.PRICE_ASC, 50));
    assertThat(BY_ID.get(asc.get(asc.size() - 1)).price()).isNull();
    assertThat(BY_ID.get(asc.get(0)).price()).isNotNull();
  }

  @Test
  void theVectorMatchSetIsTheCandidatesAboveTheSimilarityFloor() {
    float[] q = FakeClip.embed("green striped jacket");
    List<Double> best = new ArrayList<>();
    for (Product p : BY_ID.values()) {
      double max = -1;
      for (int i = 0; i < p.images().size(); i++) {
        float[] v = TestIndex.FAKE.vector(p, i);
        double dot = 0;
        for (int d = 0; d < v.length; d++) {
          dot += q[d] * v[d];
        }
        max = Math.max(max, (1 + dot) / 2); // Lucene's cosine score
      }
      best.add(max);
    }
    best.sort(null);
    // a floor halfway between two products' scores, about a third from the top
    double floor = (best.get(40) + best.get(41)) / 2;
    long expected = best.stream().filter(s -> s >= floor).count();
    FacetsProperties withFloor =
        new FacetsProperties(floor, 20, List.of(25.0, 50.0), List.of(), 50);
    try (ResultListFixture floored = new ResultListFixture(root, Map.of(), withFloor)) {
      SearchResponse r =
          floored.search(
              "green striped jacket",
              SearchMode.VECTOR,
              SearchFilters.NONE,
              5,
              0,
              ResultOptions.DEFAULT);
      assertThat(r.total()).isEqualTo(expected).isEqualTo(19);
      for (SearchHit h : r.hits()) {
        assertThat(h.score()).isGreaterThanOrEqualTo(floor);
      }
    }
  }

  @Test
  void similarAndImageSearchesPageAndSortTheSameWay() {
    List<String> byOffset = new ArrayList<>();
    int total = -1;
    for (int offset = 0; offset < 60; offset += 8) {
      SearchResponse r =
          fx.service.similar(
              "q00",
              8,
              offset,
              SearchFilters.NONE,
              new ResultOptions(SortOrder.PRICE_ASC, null, false),
              fx.deadline());
      total = r.total();
      r.hits().forEach(h -> byOffset.add(h.id()));
    }
    assertThat(total).isEqualTo(59); // every other product
    assertThat(byOffset).hasSize(59).doesNotHaveDuplicates().doesNotContain("q00");
    List<String> byCursor = new ArrayList<>();
    String cursor = null;
    do {
      SearchResponse r =
          fx.service.similar(
              "q00",
              8,
              0,
              SearchFilters.NONE,
              new ResultOptions(SortOrder.PRICE_ASC, cursor, false),
              fx.deadline());
      r.hits().forEach(h -> byCursor.add(h.id()));
      cursor = r.nextCursor();
    } while (cursor != null);
    assertThat(byCursor).isEqualTo(byOffset);
  }

  @Test
  void aCursorOnlyResumesTheQueryAndOrderItWasIssuedFor() {
    SearchResponse first =
        fx.search(
            "cotton",
            SearchMode.LEXICAL,
            SearchFilters.NONE,
            5,
            0,
            new ResultOptions(SortOrder.PRICE_ASC, null, false));
    String cursor = first.nextCursor();
    assertThat(cursor).isNotNull();
    assertThatThrownBy(
            () ->
                fx.search(
                    "linen",
                    SearchMode.LEXICAL,
                    SearchFilters.NONE,
                    5,
                    0,
                    new ResultOptions(SortOrder.PRICE_ASC, cursor, false)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cursor was issued for another query")
        .extracting(e -> ((InvalidRequestException) e).parameter())
        .isEqualTo("cursor");
    assertThatThrownBy(
            () ->
                fx.search(
                    "cotton",
                    SearchMode.LEXICAL,
                    SearchFilters.NONE,
                    5,
                    0,
                    new ResultOptions(SortOrder.NEWEST, cursor, false)))
        .hasMessageContaining("cursor was issued for sort=price_asc, not sort=newest");
    for (String bad : List.of("%%%", "bm90IGEgY3Vyc29y", "x".repeat(3000))) {
      assertThatThrownBy(
              () ->
                  fx.search(
                      "cotton",
                      SearchMode.LEXICAL,
                      SearchFilters.NONE,
                      5,
                      0,
                      new ResultOptions(SortOrder.PRICE_ASC, bad, false)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("nextCursor of the previous page");
    }
  }
}
