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
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class StorefrontTest {
  static final String HASH = "5t0ref40";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final FakeClip.Text TEXT = new FakeClip.Text();
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
    Http.awaitReady(managementPort, Duration.ofSeconds(20));
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
      driver.get("http://127.0.0.1:" + port + "/");
      driver.findElement(By.id("q")).sendKeys("red dress");
      driver.findElement(By.id("search-button")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#results .card")).isEmpty());
      List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
      assertThat(cards).hasSizeGreaterThan(3);
      assertThat(cards.get(0).findElement(By.className("name")).getText()).isEqualTo("red dress");
      assertThat(cards.get(0).findElement(By.className("price")).getText())
          .matches("\\d+\\.\\d\\d");
      assertThat(driver.findElement(By.id("timings")).getText()).contains("knn").contains("encode");
      wait.until(
          d ->
              (Boolean)
                  ((JavascriptExecutor) d)
                      .executeScript(
                          "const i = document.querySelector('#results .card img');"
                              + " return i.complete && i.naturalWidth > 0;"));

      // Filter by colour: only blue products.
      driver.findElement(By.id("colour")).sendKeys("blue");
      driver.findElement(By.id("search-button")).click();
      wait.until(
          d ->
              d.findElements(By.cssSelector("#results .card .name")).size() == 5
                  && d.findElements(By.cssSelector("#results .card .name")).stream()
                      .allMatch(e -> e.getText().startsWith("blue ")));
      driver.findElement(By.id("colour")).clear();

      // Search by photo: a green picture finds green products first.
      File photo =
          Files.write(profile.resolve("green.png"), TestImages.png(Color.GREEN, 64, 9)).toFile();
      driver.findElement(By.id("photo")).sendKeys(photo.getAbsolutePath());
      wait.until(
          d -> {
            List<WebElement> names = d.findElements(By.cssSelector("#results .card .name"));
            return !names.isEmpty() && names.get(0).getText().startsWith("green ");
          });
    } finally {
      driver.quit();
    }
  }

  /** A headless Chromium (skips the test when it is not installed). */
  static WebDriver browser(Path profile) {
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
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  @Test
  void aBusyServiceIsRetriedOnceAfterRetryAfterThenTheErrorShows() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = browser(profile);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get("http://127.0.0.1:" + port + "/");

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
