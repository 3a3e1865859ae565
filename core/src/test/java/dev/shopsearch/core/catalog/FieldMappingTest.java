package dev.shopsearch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldMappingTest {

  @TempDir Path dir;

  @Test
  void resolvesAutoPresetsAndFilesAndNamesABadSpec() throws IOException {
    Path csv = dir.resolve("c.csv");
    Files.writeString(csv, "sku,title,price\n1,Red Dress,9.5\n");
    assertThat(FieldMapping.resolve("auto", csv).id()).isEqualTo("sku");
    assertThat(FieldMapping.resolve(null, csv).id()).isEqualTo("sku");
    assertThat(FieldMapping.resolve("Magento-Luma", csv)).isEqualTo(FieldMapping.magentoLuma());
    assertThat(FieldMapping.resolve("myntra", csv)).isEqualTo(FieldMapping.myntra());
    assertThat(FieldMapping.preset("luma")).contains(FieldMapping.magentoLuma());
    assertThat(FieldMapping.preset("amazon")).isEmpty();
    Path file = dir.resolve("m.properties");
    Files.writeString(file, "preset=myntra\nname=title\n");
    assertThat(FieldMapping.resolve(file.toString(), csv).name()).isEqualTo("title");
    assertThatThrownBy(() -> FieldMapping.resolve("amazon", csv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping 'amazon' is neither auto, a preset");
  }

  @Test
  void loadsJson() throws IOException {
    Path file = dir.resolve("m.json");
    Files.writeString(
        file,
        """
        {"id": "sku", "name": "title", "categories": ["dept", "aisle"], "price": "cost",
         "images": "pic", "listSeparator": ";", "attributes": ["brand", "size"],
         "requireImages": false}
        """);
    FieldMapping m = FieldMapping.load(file);
    assertThat(m)
        .isEqualTo(
            FieldMapping.builder("sku")
                .name("title")
                .categories("dept", "aisle")
                .price("cost")
                .images("pic")
                .listSeparator(";")
                .attributes("brand", "size")
                .requireImages(false)
                .build());
  }

  @Test
  void loadsPropertiesOnTopOfAPreset() throws IOException {
    Path file = dir.resolve("m.properties");
    Files.writeString(file, "preset=myntra\nattributes=gender, season\nprice=mrp\n");
    FieldMapping m = FieldMapping.load(file);
    assertThat(m.name()).isEqualTo("productDisplayName");
    assertThat(m.attributes()).containsExactly("gender", "season");
    assertThat(m.price()).isEqualTo("mrp");
  }

  @Test
  void badMappingFilesNameTheProblem() throws IOException {
    Path unknown = dir.resolve("u.json");
    Files.writeString(unknown, "{\"id\":\"id\",\"colour\":\"c\",\"color\":\"c\"}");
    assertThatThrownBy(() -> FieldMapping.load(unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key 'color'");
    Path noId = dir.resolve("n.properties");
    Files.writeString(noId, "name=title\n");
    assertThatThrownBy(() -> FieldMapping.load(noId)).hasMessageContaining("needs 'id'");
    Path badBool = dir.resolve("b.properties");
    Files.writeString(badBool, "id=x\nimages=i\nrequireImages=perhaps\n");
    assertThatThrownBy(() -> FieldMapping.load(badBool)).hasMessageContaining("perhaps");
    Path yaml = dir.resolve("m.yaml");
    Files.writeString(yaml, "id: x");
    assertThatThrownBy(() -> FieldMapping.load(yaml)).hasMessageContaining(".json or .properties");
  }

  @Test
  void validatesAtConstruction() {
    assertThatThrownBy(() -> FieldMapping.builder(" ").images("i").build())
        .hasMessageContaining("id field");
    assertThatThrownBy(() -> FieldMapping.builder("id").build())
        .hasMessageContaining("requireImages");
    assertThatThrownBy(() -> FieldMapping.builder("id").imagePattern("img/{id.jpg").build())
        .hasMessageContaining("unbalanced");
    assertThat(
            FieldMapping.builder("id").imagePattern("a/{x}/{id}.jpg").build().imagePatternFields())
        .containsExactly("x", "id");
  }

  @Test
  void detectGuessesFromCommonNames() throws IOException {
    Path csv = dir.resolve("shop.csv");
    Files.writeString(csv, "SKU,Title,Color,Price,Image_URL,Brand,Material\n");
    FieldMapping m = FieldMapping.detect(csv);
    assertThat(m.id()).isEqualTo("SKU");
    assertThat(m.name()).isEqualTo("Title");
    assertThat(m.colour()).isEqualTo("Color");
    assertThat(m.price()).isEqualTo("Price");
    assertThat(m.images()).containsExactly("Image_URL");
    assertThat(m.attributes()).containsExactly("Brand", "Material");
    assertThat(m.listSeparator()).isEqualTo("|");

    Path jsonl = dir.resolve("shop.jsonl");
    Files.writeString(
        jsonl, "{\"product_id\":1,\"title\":\"t\"}\n{\"product_id\":2,\"in_stock\":true}\n");
    FieldMapping j = FieldMapping.detect(jsonl);
    assertThat(j.id()).isEqualTo("product_id");
    assertThat(j.inStock()).isEqualTo("in_stock");
    assertThat(j.requireImages()).isFalse();

    Path none = dir.resolve("none.csv");
    Files.writeString(none, "a,b\n");
    assertThatThrownBy(() -> FieldMapping.detect(none))
        .hasMessageContaining("no id field")
        .hasMessageContaining("[a, b]");
  }

  @Test
  void categoryPaths() {
    assertThat(CategoryPath.normalise(" Men>Tops >  > Hoodies ", ">"))
        .isEqualTo("Men / Tops / Hoodies");
    assertThat(CategoryPath.normalise(" / ", "/")).isNull();
    assertThat(CategoryPath.join(List.of("Men", " ", "Apparel"))).isEqualTo("Men / Apparel");
    assertThat(CategoryPath.prefixes("Men / Tops / Hoodies & Sweatshirts"))
        .containsExactly("men", "men/tops", "men/tops/hoodies & sweatshirts");
  }
}
