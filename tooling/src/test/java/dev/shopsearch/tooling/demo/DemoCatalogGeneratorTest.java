package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCatalogGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PRODUCTS = 120;
  private static final DemoCatalogConfig CONFIG =
      DemoCatalogConfig.of(PRODUCTS, 20261127L).withImageSize(64).withThreads(2);

  @TempDir static Path shared;
  private static Path dir;
  private static DemoCatalog catalog;
  private static List<JsonNode> lines;
  private static final AtomicInteger progressCalls = new AtomicInteger();
  private static volatile int lastDone;

  @BeforeAll
  static void generate() throws IOException {
    dir = shared.resolve("demo");
    catalog =
        DemoCatalogGenerator.generate(
            dir,
            CONFIG,
            (done, total) -> {
              progressCalls.incrementAndGet();
              lastDone = Math.max(lastDone, done);
              assertThat(total).isEqualTo(PRODUCTS);
            });
    lines = new ArrayList<>();
    for (String line : Files.readAllLines(catalog.catalogFile(), StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line));
    }
  }

  @Test
  void sameSeedWritesTheSameBytesWhateverTheThreadCount(@TempDir Path other) throws IOException {
    Path again = other.resolve("again");
    DemoCatalogGenerator.generate(again, CONFIG.withThreads(1), (d, t) -> {});
    List<Path> files = files(dir);
    assertThat(files(again)).hasSameSizeAs(files);
    for (Path f : files) {
      Path twin = again.resolve(dir.relativize(f).toString());
      assertThat(Files.readAllBytes(twin))
          .as("%s", dir.relativize(f))
          .isEqualTo(Files.readAllBytes(f));
    }
  }

  @Test
  void anotherSeedGivesAnotherCatalog(@TempDir Path other) throws IOException {
    DemoCatalog different =
        DemoCatalogGenerator.generate(
            other, DemoCatalogConfig.of(PRODUCTS, 7).withImageSize(64), (d, t) -> {});
    assertThat(Files.readString(different.catalogFile()))
        .isNotEqualTo(Files.readString(catalog.catalogFile()));
    assertThat(different.heldOut()).isNotEqualTo(catalog.heldOut());
  }

  @Test
  void countsIdsFilesAndProgressAgree() throws IOException {
    assertThat(lines).hasSize(PRODUCTS);
    assertThat(catalog.products()).hasSize(PRODUCTS);
    Set<String> ids = new HashSet<>();
    int images = 0;
    for (JsonNode line : lines) {
      ids.add(line.get("id").asText());
      assertThat(line.get("images").size()).isBetween(1, CONFIG.maxViews());
      for (JsonNode image : line.get("images")) {
        assertThat(dir.resolve(image.asText())).isRegularFile();
        images++;
      }
    }
    assertThat(ids).hasSize(PRODUCTS);
    assertThat(catalog.images()).isEqualTo(images);
    try (Stream<Path> written = Files.list(dir.resolve(DemoCatalogGenerator.IMAGES_DIR))) {
      assertThat(written.count()).isEqualTo(images);
    }
    JsonNode manifest = JSON.readTree(dir.resolve(DemoCatalogGenerator.MANIFEST_FILE).toFile());
    assertThat(manifest.get("products").asInt()).isEqualTo(PRODUCTS);
    assertThat(manifest.get("images").asInt()).isEqualTo(images);
    assertThat(manifest.get("seed").asLong()).isEqualTo(CONFIG.seed());
    assertThat(lastDone).isEqualTo(PRODUCTS);
    assertThat(progressCalls.get()).isEqualTo(PRODUCTS);
  }

  @Test
  void everyCategoryColourAndPatternIsPresent() {
    Set<DemoCategory> categories = EnumSet.noneOf(DemoCategory.class);
    Set<DemoColour> colours = EnumSet.noneOf(DemoColour.class);
    Set<DemoPattern> patterns = EnumSet.noneOf(DemoPattern.class);
    for (JsonNode line : lines) {
      categories.add(DemoCategory.fromEnglish(line.get("product_type").asText()));
      colours.add(DemoColour.fromEnglish(line.get("color").asText()));
      patterns.add(DemoPattern.fromEnglish(line.get("pattern").asText()));
    }
    assertThat(categories).containsExactlyInAnyOrder(DemoCategory.values());
    assertThat(colours).containsExactlyInAnyOrder(DemoColour.values());
    assertThat(patterns).containsExactlyInAnyOrder(DemoPattern.values());
  }

  @Test
  void heldOutCombinationsNeverAppearInTheTrainingSplit() throws IOException {
    JsonNode manifest = JSON.readTree(dir.resolve(DemoCatalogGenerator.MANIFEST_FILE).toFile());
    Set<String> heldOut = new HashSet<>();
    for (JsonNode c : manifest.get("heldout_combinations")) {
      heldOut.add(key(c.get("category"), c.get("color"), c.get("pattern")));
    }
    assertThat(heldOut).hasSize(catalog.heldOut().size()).hasSize(72);
    int heldOutProducts = 0;
    for (JsonNode line : lines) {
      String key = key(line.get("product_type"), line.get("color"), line.get("pattern"));
      String split = line.get("split").asText();
      assertThat(split).as("%s", key).isEqualTo(heldOut.contains(key) ? "heldout" : "train");
      heldOutProducts += heldOut.contains(key) ? 1 : 0;
    }
    assertThat(heldOutProducts).isPositive().isEqualTo((int) catalog.heldOutProducts());
    assertThat(manifest.get("heldout_products").asInt()).isEqualTo(heldOutProducts);
  }

  @Test
  void linesCarryTheFieldsTheIndexerReads() {
    for (JsonNode line : lines) {
      assertThat(fieldNames(line))
          .containsExactly(
              "id",
              "name",
              "description",
              "categories",
              "color",
              "pattern",
              "product_type",
              "gender",
              "price",
              "images",
              "caption_en",
              "caption_zh",
              "split");
      DemoCategory category = DemoCategory.fromEnglish(line.get("product_type").asText());
      String gender = line.get("gender").asText();
      DemoCategory.Gender g =
          category.genders().stream()
              .filter(x -> x.value().equals(gender))
              .findFirst()
              .orElseThrow();
      assertThat(line.get("categories").size()).isEqualTo(1);
      assertThat(line.get("categories").get(0).asText()).isEqualTo(category.path(g));
      assertThat(line.get("price").asDouble())
          .isBetween((double) category.minPrice(), (double) category.maxPrice());
      String description = line.get("description").asText();
      assertThat(description)
          .contains(line.get("color").asText())
          .contains(category.english())
          .endsWith(".");
    }
  }

  @Test
  void captionsAndNamesUseTheRightWords() {
    for (JsonNode line : lines) {
      DemoCategory category = DemoCategory.fromEnglish(line.get("product_type").asText());
      DemoColour colour = DemoColour.fromEnglish(line.get("color").asText());
      DemoPattern pattern = DemoPattern.fromEnglish(line.get("pattern").asText());
      String zh = line.get("caption_zh").asText();
      assertThat(zh)
          .startsWith(colour.chinese())
          .contains(pattern.chinese())
          .endsWith(category.chinese())
          .isEqualTo(colour.chinese() + pattern.chinese() + category.chinese());
      assertThat(line.get("caption_en").asText())
          .isEqualTo(colour.english() + " " + pattern.english() + " " + category.english());
      assertThat(line.get("name").asText().toLowerCase(java.util.Locale.ROOT))
          .isEqualTo(line.get("caption_en").asText());
    }
    assertThat(new AttributeCombo(DemoCategory.DRESS, DemoColour.RED, DemoPattern.FLORAL))
        .extracting(AttributeCombo::name, AttributeCombo::captionZh)
        .containsExactly("Red Floral Dress", "红色碎花连衣裙");
  }

  @Test
  void imagesDecodeAtTheConfiguredSizeAndShowAProduct() throws IOException {
    for (JsonNode line : lines) {
      for (JsonNode ref : line.get("images")) {
        BufferedImage image = ImageIO.read(dir.resolve(ref.asText()).toFile());
        assertThat(image).as("%s decodes", ref.asText()).isNotNull();
        assertThat(image.getWidth()).isEqualTo(CONFIG.imageSize());
        assertThat(image.getHeight()).isEqualTo(CONFIG.imageSize());
        int product = 0;
        for (int y = 0; y < image.getHeight(); y++) {
          for (int x = 0; x < image.getWidth(); x++) {
            product += Pixels.nearWhite(image.getRGB(x, y)) ? 0 : 1;
          }
        }
        double share = product / (double) (image.getWidth() * image.getHeight());
        // white products are near-white themselves: only outline, shading and pattern count
        double min = line.get("color").asText().equals("white") ? 0.02 : 0.08;
        assertThat(share).as("%s non-backdrop share", ref.asText()).isBetween(min, 0.9);
      }
    }
  }

  @Test
  void pngImagesAreExactlyTheRenderedViewsOfThePlan(@TempDir Path other) throws IOException {
    DemoCatalogConfig png =
        DemoCatalogConfig.of(12, 99)
            .withImageSize(48)
            .withFormat(DemoCatalogConfig.ImageFormat.PNG);
    DemoCatalogGenerator.generate(other, png, (d, t) -> {});
    for (DemoProductPlanner.PlannedProduct planned : DemoProductPlanner.plan(png).products()) {
      DemoProduct p = planned.product();
      assertThat(p.images()).allMatch(ref -> ref.endsWith(".png"));
      for (int v = 0; v < p.images().size(); v++) {
        BufferedImage expected =
            ProductImageRenderer.render(
                    p.combo().category(),
                    p.combo().colour(),
                    planned.style(),
                    planned.views().get(v),
                    png.imageSize())
                .image();
        BufferedImage actual = ImageIO.read(other.resolve(p.images().get(v)).toFile());
        assertThat(rgb(actual)).as("%s", p.images().get(v)).isEqualTo(rgb(expected));
      }
    }
  }

  @Test
  void redProductsPhotographRed() throws IOException {
    int checked = 0;
    double red = Pixels.hue(DemoColour.RED.rgb());
    for (JsonNode line : lines) {
      if (!line.get("color").asText().equals("red")) {
        continue;
      }
      for (JsonNode ref : line.get("images")) {
        BufferedImage image = ImageIO.read(dir.resolve(ref.asText()).toFile());
        double hue = Pixels.dominantHue(image, i -> true);
        assertThat(Pixels.hueDistance(hue, red))
            .as("%s (%s): dominant hue %.0f", ref.asText(), line.get("name").asText(), hue)
            .isLessThanOrEqualTo(15);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(PRODUCTS / 12);
  }

  @Test
  void rerunReplacesAnEarlierDemoCatalogButRefusesOtherFolders(@TempDir Path other)
      throws IOException {
    Path out = other.resolve("rerun");
    DemoCatalogGenerator.generate(out, DemoCatalogConfig.of(30, 1).withImageSize(32), (d, t) -> {});
    DemoCatalog second =
        DemoCatalogGenerator.generate(
            out, DemoCatalogConfig.of(10, 1).withImageSize(32).withMaxViews(1), (d, t) -> {});
    try (Stream<Path> images = Files.list(out.resolve(DemoCatalogGenerator.IMAGES_DIR))) {
      assertThat(images.count()).isEqualTo(10);
    }
    assertThat(Files.readAllLines(second.catalogFile())).hasSize(10);

    Path foreign = other.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () -> DemoCatalogGenerator.generate(foreign, DemoCatalogConfig.of(5, 1), (d, t) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not empty")
        .hasMessageContaining(DemoCatalogGenerator.MANIFEST_FILE);
    assertThat(foreign.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void configurationNamesTheBadValueAndTheLimit() {
    assertThatThrownBy(() -> DemoCatalogConfig.of(0, 1))
        .hasMessageContaining("products must be in [1, 1000000]; products=0");
    assertThatThrownBy(() -> DemoCatalogConfig.of(5, 1).withImageSize(2000))
        .hasMessageContaining("imageSize=2000");
    assertThatThrownBy(() -> DemoCatalogConfig.of(5, 1).withMaxViews(9))
        .hasMessageContaining("maxViews must be in [1, 5]; maxViews=9");
    assertThatThrownBy(() -> DemoCatalogConfig.of(5, 1).withHeldOutFraction(0.9))
        .hasMessageContaining("heldOutFraction=0.9");
    assertThatThrownBy(() -> DemoCatalogConfig.of(5, 1).withThreads(0))
        .hasMessageContaining("threads=0");
  }

  private static int[] rgb(BufferedImage image) {
    int[] px = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < px.length; i++) {
      px[i] &= 0xFFFFFF;
    }
    return px;
  }

  private static String key(JsonNode category, JsonNode colour, JsonNode pattern) {
    return category.asText() + "/" + colour.asText() + "/" + pattern.asText();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
