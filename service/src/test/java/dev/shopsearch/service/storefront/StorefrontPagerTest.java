package dev.shopsearch.service.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The storefront pager in a real headless Chromium past the API's offset limit: the limit comes
 * from {@code /v1/info} ({@code shopsearch.search.max-offset=24} here, one page), pages beyond it
 * are asked for with the previous page's {@code nextCursor}, Previous returns through remembered
 * cursors, and every page is the API's page at that position.
 */
@Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.overload.deadline=30s",
      "shopsearch.search.max-offset=24",
      "shopsearch.search.default-mode=lexical"
    })
class StorefrontPagerTest {
  static final String HASH = "pa9e4a11";

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  /** 60 products that all match {@code cotton}: pages at offsets 0, 24 (by offset), 48 (cursor). */
  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    Path root = Files.createTempDirectory("shopsearch-pager").resolve("index");
    List<Product> products = new ArrayList<>();
    for (String prefix : new String[] {"a", "b", "c"}) {
      products.addAll(TestIndex.catalog(prefix));
    }
    try {
      TestIndex.publish(root, FakeClip.manifest(HASH), products);
    } catch (Exception e) {
      throw new IOException(e);
    }
    registry.add("shopsearch.index.root", root::toString);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void pagesPastTheOffsetLimitUseTheCursorAndPreviousComesBack() throws IOException {
    Http http = new Http(port);
    Http.awaitReady(managementPort);
    assertThat(http.get("/v1/info").json().get("serving").get("maxOffset").asInt()).isEqualTo(24);
    List<List<String>> apiPages = apiPages(http, "cotton");
    assertThat(apiPages).hasSize(3);
    assertThat(apiPages.get(2)).hasSize(12);

    Path profile = Files.createTempDirectory("chromium-profile");
    WebDriver driver = StorefrontTest.browser(profile);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get("http://127.0.0.1:" + port + "/?q=cotton");
      wait.until(d -> d.findElement(By.id("page")).getText().equals("1–24 of 60"));
      assertThat(ids(driver)).isEqualTo(apiPages.get(0));

      driver.findElement(By.id("next")).click();
      wait.until(d -> d.findElement(By.id("page")).getText().equals("25–48 of 60"));
      assertThat(driver.getCurrentUrl()).contains("offset=24").doesNotContain("cursor=");
      assertThat(ids(driver)).isEqualTo(apiPages.get(1));

      // offset 48 is past the limit: the page comes by cursor, and is the API's third page
      assertThat(driver.findElement(By.id("next")).isEnabled()).isTrue();
      driver.findElement(By.id("next")).click();
      wait.until(d -> d.findElement(By.id("page")).getText().equals("49–60 of 60"));
      assertThat(driver.getCurrentUrl()).contains("offset=48").contains("cursor=");
      assertThat(ids(driver)).isEqualTo(apiPages.get(2));
      assertThat(driver.findElement(By.id("next")).isEnabled()).isFalse();
      assertThat(driver.findElement(By.id("status")).getAttribute("class")).isNotEqualTo("error");

      driver.findElement(By.id("prev")).click();
      wait.until(d -> d.findElement(By.id("page")).getText().equals("25–48 of 60"));
      assertThat(ids(driver)).isEqualTo(apiPages.get(1));

      // the back button returns to the cursor page (its URL carries the cursor)
      driver.navigate().back();
      wait.until(d -> d.findElement(By.id("page")).getText().equals("49–60 of 60"));
      assertThat(ids(driver)).isEqualTo(apiPages.get(2));
    } finally {
      driver.quit();
    }
  }

  /** The API's pages of 24 for a query, by cursor to the end. */
  static List<List<String>> apiPages(Http http, String q) throws IOException {
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          "/v1/search?k=24&q="
              + URLEncoder.encode(q, StandardCharsets.UTF_8)
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode body = http.get(path).json();
      List<String> ids = new ArrayList<>();
      body.get("hits").forEach(h -> ids.add(h.get("id").asText()));
      pages.add(ids);
      cursor = body.hasNonNull("nextCursor") ? body.get("nextCursor").asText() : null;
    } while (cursor != null);
    return pages;
  }

  /** The product ids of the shown cards, in order. */
  static List<String> ids(WebDriver d) {
    return d.findElements(By.cssSelector("#results .card")).stream()
        .map(e -> e.getDomAttribute("data-id"))
        .toList();
  }
}
