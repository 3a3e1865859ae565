package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.catalog.Reject;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated catalog goes through the project's own catalog reader and image source. */
class DemoCatalogReadableTest {

  @Test
  void catalogReaderAcceptsEveryProductWithItsAttributes(@TempDir Path dir) throws Exception {
    DemoCatalog demo =
        DemoCatalogGenerator.generate(
            dir, DemoCatalogConfig.of(36, 5).withImageSize(48), (d, t) -> {});
    FieldMapping mapping = FieldMapping.detect(demo.catalogFile());
    List<Reject> rejects = new ArrayList<>();
    List<Product> products;
    try (CatalogReader reader = CatalogReader.open(demo.catalogFile(), mapping)) {
      products = reader.products(rejects::add).toList();
    }
    assertThat(rejects).isEmpty();
    assertThat(products).hasSize(36);
    try (ImageSource images = ImageSource.forCatalog(demo.catalogFile(), FetchOptions.defaults())) {
      for (int i = 0; i < products.size(); i++) {
        Product read = products.get(i);
        DemoProduct written = demo.products().get(i);
        assertThat(read.id()).isEqualTo(written.id());
        assertThat(read.name()).isEqualTo(written.name());
        assertThat(read.description()).isEqualTo(written.description());
        assertThat(read.categories()).containsExactly(written.categoryPath());
        assertThat(read.colour()).isEqualTo(written.combo().colour().english());
        assertThat(read.price()).isEqualTo(written.price());
        assertThat(read.images()).isEqualTo(written.images());
        assertThat(read.attributes())
            .containsEntry("pattern", List.of(written.combo().pattern().english()))
            .containsEntry("gender", List.of(written.gender().value()))
            .containsEntry("caption_zh", List.of(written.combo().captionZh()))
            .containsEntry("split", List.of(written.split()));
        for (String ref : read.images()) {
          byte[] bytes = images.fetch(ref).bytes();
          assertThat(ImageIO.read(new ByteArrayInputStream(bytes))).as(ref).isNotNull();
        }
      }
    }
  }
}
