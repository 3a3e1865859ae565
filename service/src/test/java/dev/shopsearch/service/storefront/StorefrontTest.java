package dev.shopsearch.service.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestIndex;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The storefront page in a real headless Chromium (system {@code chromium} + {@code chromedriver};
 * skipped with a message when absent) against the real service, and the path-confined catalog image
 * endpoint it loads its pictures from.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.overload.deadline=30s",
      // a refusal answered at once: held until the 30 s deadline, the page's retry test times out
      "shopsearch.overload.hold-refusals=false"
    })
class StorefrontTest {
  static final String HASH = "5t0ref40";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final FakeClip.Text TEXT = new FakeClip.Text();
  static final String COLOUR_FACET = "#facets button.facet[data-facet=colour]";
  static final Path SCREENSHOTS = Path.of("target", "storefront");

  /**
   * The lowest WCAG contrast ratio of any visible text on the page, and where: each element with
   * its own text node, its colour against the first opaque background among it and its ancestors
   * (alpha blended over white).
   */
  static final String MIN_CONTRAST_JS =
      """
      function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : m.concat([1]); }
      function lum(c) {
        const v = c.slice(0, 3).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
      }
      function background(e) {
        for (; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c[3] > 0) return c[3] >= 1 ? c : c.slice(0, 3).map((x) => x * c[3] + 255 * (1 - c[3]));
        }
        return [255, 255, 255];
      }
      let worst = {ratio: 99, text: ''};
      for (const e of document.querySelectorAll('body *')) {
        const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || !e.checkVisibility() || e.getClientRects().length === 0) continue;
        const fg = lum(rgb(getComputedStyle(e).color)), bg = lum(background(e));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        if (ratio < worst.ratio) worst = {ratio: ratio, text: e.tagName + ' ' + e.textContent.trim().slice(0, 40)};
      }
      return worst.ratio.toFixed(2) + ' ' + worst.text;
      """;

  static Path root;
  static Path catalog;

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, TEXT);
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    Path tmp = Files.createTempDirectory("shopsearch-store");
    root = tmp.resolve("index");
    catalog = tmp.resolve("catalog");
    List<Product> products = TestIndex.catalog("s");
    for (Product p : products) {
      Color c =
          switch (p.colour()) {
            case "red" -> Color.RED;
            case "blue" -> Color.BLUE;
            case "green" -> Color.GREEN;
            default -> Color.DARK_GRAY;
          };
      for (String ref : p.images()) {
        Path file = catalog.resolve(ref);
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, 48, 48);
        g.dispose();
        ImageIO.write(img, "jpg", file.toFile());
      }
    }
    Files.writeString(tmp.resolve("secret.jpg"), "outside the catalog root");
    TestIndex.publish(root, FakeClip.manifest(HASH), products);
    registry.add("shopsearch.index.root", root::toString);
    registry.add("shopsearch.index.catalog-root", catalog::toString);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  Http http;

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
  }

  @Test
  void catalogImagesAreServedAndConfinedToTheCatalogRoot() throws IOException {
    Http.Response ok = http.get("/images/images/s0-0.jpg");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(http.get("/images/../secret.jpg").status()).isEqualTo(404);
    assertThat(http.get("/images/%2e%2e/secret.jpg").status()).isEqualTo(404);
    assertThat(http.get("/images/images/%2e%2e/%2e%2e/secret.jpg").status()).isEqualTo(404);
    assertThat(http.get("/images/images/missing.jpg").status()).isEqualTo(404);
    Files.writeString(catalog.resolve("notes.txt"), "not an image");
    assertThat(http.get("/images/notes.txt").status()).isEqualTo(404);
    Path link = catalog.resolve("images/link.jpg");
    Files.createSymbolicLink(link, catalog.getParent().resolve("secret.jpg"));
    assertThat(http.get("/images/images/link.jpg").status()).isEqualTo(404);
  }

  @Test
  void indexPageIsServed() {
    Http.Response page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"search-form\"").contains("/app.js");
  }

  @Test
  void searchInARealBrowserShowsProductsWithImagesAndTimings() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = browser(profile);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class); // the grid is re-rendered per search
      driver.get("http://127.0.0.1:" + port + "/?debug=1"); // scores and timings shown
      driver.findElement(By.id("q")).sendKeys("red dress");
      driver.findElement(By.id("search-button")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#results .card")).isEmpty());
      List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
      assertThat(cards).hasSizeGreaterThan(3);
      assertThat(cards.get(0).findElement(By.className("name")).getText()).isEqualTo("red dress");
      assertThat(cards.get(0).findElement(By.className("price")).getText())
          .matches("€\\d+\\.\\d\\d"); // shopsearch.storefront.currency: EUR by default
      assertThat(driver.findElement(By.id("timings")).getText()).contains("knn").contains("encode");
      wait.until(
          d ->
              (Boolean)
                  ((JavascriptExecutor) d)
                      .executeScript(
                          "const i = document.querySelector('#results .card img');"
                              + " return i.complete && i.naturalWidth > 0;"));

      // Filter by colour in the sidebar: only blue products.
      driver.findElement(By.cssSelector(COLOUR_FACET + "[data-value=blue]")).click();
      wait.until(
          d ->
              d.findElements(By.cssSelector("#results .card .name")).size() == 5
                  && d.findElements(By.cssSelector("#results .card .name")).stream()
                      .allMatch(e -> e.getText().startsWith("blue ")));

      // Search by photo: a green picture finds green products first.
      File photo =
          Files.write(profile.resolve("green.png"), TestImages.png(Color.GREEN, 64, 9)).toFile();
      driver.findElement(By.id("photo")).sendKeys(photo.getAbsolutePath());
      wait.until(
          d -> {
            List<WebElement> names = d.findElements(By.cssSelector("#results .card .name"));
            return !names.isEmpty() && names.get(0).getText().startsWith("green ");
          });
      // the uploaded photo is shown beside the results
      assertThat(driver.findElement(By.id("photo-preview")).isDisplayed()).isTrue();
      assertThat(driver.findElement(By.id("status")).getText())
          .endsWith("products that look like your photo");
    } finally {
      driver.quit();
    }
  }

  /** The facet counts the API gives, as {@code value → count} of one keyword facet. */
  java.util.Map<String, Integer> apiColourCounts(String query) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    http.get("/v1/search?facets=true&q=" + query + "&k=24")
        .json()
        .get("facets")
        .get("colour")
        .forEach(v -> out.put(v.get("value").asText(), v.get("count").asInt()));
    return out;
  }

  static java.util.Map<String, Integer> pageColourCounts(WebDriver d) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    for (WebElement b : d.findElements(By.cssSelector(COLOUR_FACET))) {
      out.put(b.getAttribute("data-value"), Integer.parseInt(b.getAttribute("data-count")));
    }
    return out;
  }

  static void screenshot(WebDriver driver, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    byte[] png =
        ((org.openqa.selenium.TakesScreenshot) driver)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }

  static double minContrast(WebDriver driver) {
    String worst = (String) ((JavascriptExecutor) driver).executeScript(MIN_CONTRAST_JS);
    assertThat(Double.parseDouble(worst.split(" ")[0]))
        .as("lowest text contrast: %s", worst)
        .isGreaterThanOrEqualTo(4.5);
    return Double.parseDouble(worst.split(" ")[0]);
  }

  @Test
  void desktopShowsFacetCountsSortAndTotalWithAllStateInTheUrl() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = browser(profile, 1400, 1000);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      String base = "http://127.0.0.1:" + port + "/";
      driver.get(base);
      // the landing page: a hint, no pager, no facets
      wait.until(d -> d.findElement(By.cssSelector("#results .empty")).isDisplayed());
      assertThat(driver.findElement(By.id("pager")).isDisplayed()).isFalse();
      assertThat(driver.findElement(By.id("q")).getAttribute("id")).isEqualTo("q");
      assertThat(driver.findElement(By.cssSelector("label[for=q]")).getAttribute("textContent"))
          .isEqualTo("Search products");

      driver.findElement(By.id("q")).sendKeys("cotton");
      driver.findElement(By.id("search-button")).click();
      wait.until(d -> !d.findElements(By.cssSelector(COLOUR_FACET)).isEmpty());
      assertThat(driver.getCurrentUrl()).isEqualTo(base + "?q=cotton");
      int total = http.get("/v1/search?q=cotton").json().get("total").asInt();
      assertThat(driver.findElement(By.id("status")).getText()).isEqualTo(total + " products");
      java.util.Map<String, Integer> counts = apiColourCounts("cotton");
      assertThat(pageColourCounts(driver)).isEqualTo(counts).hasSize(4);
      // shoppers see no scores, ranks or timings
      assertThat(driver.findElement(By.cssSelector("#results .card .debug")).isDisplayed())
          .isFalse();
      assertThat(driver.findElement(By.id("timings")).isDisplayed()).isFalse();
      // distinct link texts; product cards are links
      List<String> similar =
          driver.findElements(By.cssSelector("#results .card a.similar")).stream()
              .map(WebElement::getText)
              .toList();
      assertThat(similar).doesNotHaveDuplicates().allMatch(t -> t.startsWith("Similar to "));
      assertThat(driver.findElements(By.cssSelector("#results .card a.product"))).hasSize(20);
      minContrast(driver);
      screenshot(driver, "desktop-1400x1000.png");

      // a colour: the other colours keep their counts (disjunctive), the URL says so
      driver.findElement(By.cssSelector(COLOUR_FACET + "[data-value=red]")).click();
      wait.until(d -> d.getCurrentUrl().endsWith("?q=cotton&colour=red"));
      wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 5);
      assertThat(pageColourCounts(driver)).isEqualTo(counts);
      assertThat(
              driver
                  .findElement(By.cssSelector(COLOUR_FACET + "[data-value=red]"))
                  .getAttribute("aria-pressed"))
          .isEqualTo("true");
      assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("5 products");

      // sort by price: the URL carries it, prices ascend
      new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("sort")))
          .selectByValue("price_desc");
      wait.until(d -> d.getCurrentUrl().contains("sort=price_desc"));
      wait.until(
          d -> {
            List<Double> prices = prices(d);
            return prices.size() == 5
                && prices.equals(
                    prices.stream().sorted(java.util.Comparator.reverseOrder()).toList());
          });

      // back: the colour filter without the sort; back again: no filter
      driver.navigate().back();
      wait.until(d -> d.getCurrentUrl().endsWith("?q=cotton&colour=red"));
      wait.until(d -> "relevance".equals(d.findElement(By.id("sort")).getAttribute("value")));
      driver.navigate().back();
      wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 20);
      assertThat(driver.getCurrentUrl()).isEqualTo(base + "?q=cotton");

      // a shared link opens the same state; "similar" says what to
      driver.get(base + "?q=cotton&colour=blue&sort=price_asc");
      wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 5);
      driver.findElement(By.cssSelector("#results .card a.similar")).click();
      wait.until(d -> d.getCurrentUrl().contains("similar="));
      wait.until(d -> d.findElement(By.id("status")).getText().contains("similar to blue"));
    } finally {
      driver.quit();
    }
  }

  static List<Double> prices(WebDriver d) {
    return d.findElements(By.cssSelector("#results .card .price")).stream()
        .map(e -> Double.parseDouble(e.getText().replaceAll("[^0-9.]", "")))
        .toList();
  }

  @Test
  void phoneShowsTwoColumnsAVisibleSearchButtonAndCollapsedFilters() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = browser(profile, 390, 844);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get("http://127.0.0.1:" + port + "/?q=cotton");
      wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 20);
      JavascriptExecutor js = (JavascriptExecutor) driver;
      assertThat(((Number) js.executeScript("return window.innerWidth;")).intValue())
          .isEqualTo(390);
      // the search button is inside the viewport
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> button =
          (java.util.Map<String, Object>)
              js.executeScript(
                  "const r = document.getElementById('search-button').getBoundingClientRect();"
                      + " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};");
      assertThat(((Number) button.get("left")).doubleValue()).isGreaterThanOrEqualTo(0);
      assertThat(((Number) button.get("right")).doubleValue()).isLessThanOrEqualTo(390);
      assertThat(((Number) button.get("bottom")).doubleValue()).isLessThanOrEqualTo(844);
      // two columns: the first two cards side by side, the third below them
      List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
      assertThat(cards.get(0).getLocation().getY()).isEqualTo(cards.get(1).getLocation().getY());
      assertThat(cards.get(1).getLocation().getX())
          .isGreaterThan(cards.get(0).getLocation().getX());
      assertThat(cards.get(2).getLocation().getY())
          .isGreaterThan(cards.get(0).getLocation().getY());
      assertThat(cards.get(0).getSize().getWidth()).isLessThan(195);
      // the filters start collapsed, and open on a tap
      assertThat(driver.findElement(By.id("filters")).getAttribute("open")).isNull();
      assertThat(driver.findElement(By.cssSelector(COLOUR_FACET)).isDisplayed()).isFalse();
      minContrast(driver);
      screenshot(driver, "phone-390x844.png");
      driver.findElement(By.cssSelector("#filters > summary")).click();
      wait.until(d -> d.findElement(By.cssSelector(COLOUR_FACET)).isDisplayed());
      screenshot(driver, "phone-390x844-filters.png");
    } finally {
      driver.quit();
    }
  }

  /** A headless Chromium (skips the test when it is not installed). */
  static WebDriver browser(Path profile) {
    return browser(profile, 1400, 1000);
  }

  /** A headless Chromium with a viewport of {@code width × height} CSS pixels. */
  static WebDriver browser(Path profile, int width, int height) {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipping: /usr/bin/chromium and /usr/bin/chromedriver are needed"
            + " (apt-get install -y chromium chromium-driver)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // Chromium windows are at least 500 px wide: a phone viewport is emulated (as DevTools does).
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        java.util.Map.of(
            "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    return driver;
  }

  @Test
  void aBusyServiceIsRetriedOnceAfterRetryAfterThenTheErrorShows() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = browser(profile);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get("http://127.0.0.1:" + port + "/?debug=1");

      // The next encode is refused as overloaded (503, Retry-After: 1); the retry succeeds.
      refuseNextEncodes(1);
      int before = TEXT.calls.get();
      driver.findElement(By.id("q")).sendKeys("green sneakers");
      driver.findElement(By.id("search-button")).click();
      wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Busy, retrying in 1 s"));
      wait.until(d -> !d.findElements(By.cssSelector("#results .card")).isEmpty());
      assertThat(driver.findElement(By.id("timings")).getText()).contains("after one retry");
      assertThat(TEXT.calls.get() - before).isEqualTo(2);

      // Still busy on the retry: the page gives up and says why (no third attempt).
      refuseNextEncodes(2);
      before = TEXT.calls.get();
      driver.findElement(By.id("q")).clear();
      driver.findElement(By.id("q")).sendKeys("blue jacket");
      driver.findElement(By.id("search-button")).click();
      wait.until(
          d ->
              d.findElement(By.id("status")).getAttribute("class").equals("error")
                  && d.findElement(By.id("status")).getText().contains("busy (test)"));
      assertThat(driver.findElements(By.cssSelector("#results .card"))).isEmpty();
      assertThat(TEXT.calls.get() - before).isEqualTo(2);
    } finally {
      TEXT.onEncode = () -> {};
      driver.quit();
    }
  }

  /** The next {@code n} text encodes fail as overloaded. */
  static void refuseNextEncodes(int n) {
    AtomicInteger left = new AtomicInteger(n);
    TEXT.onEncode =
        () -> {
          if (left.getAndDecrement() > 0) {
            throw new OverloadedException(ShedReason.DEADLINE, "busy (test)");
          }
        };
  }
}
