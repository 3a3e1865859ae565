package dev.shopsearch.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path tmp;

  private static Map<String, byte[]> files(long seed) {
    Random random = new Random(seed);
    byte[] text = new byte[1000];
    byte[] image = new byte[2000];
    random.nextBytes(text);
    random.nextBytes(image);
    return Map.of(
        "text.onnx", text,
        "image.onnx", image,
        "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writeThenLoadRoundTripsTheManifestAndHashesTheFiles() throws Exception {
    BundleManifest manifest = HfClipLayout.manifest("tiny", "1", 32, 64);
    ModelBundle written = ModelBundle.write(tmp.resolve("b"), manifest, files(1));

    ModelBundle loaded = ModelBundle.load(tmp.resolve("b"));
    BundleManifest m = loaded.manifest();
    assertThat(m.name()).isEqualTo("tiny");
    assertThat(m.dim()).isEqualTo(32);
    assertThat(m.text()).isEqualTo(HfClipLayout.textTower());
    assertThat(m.image()).isEqualTo(HfClipLayout.imageTower());
    assertThat(m.textSpec()).isEqualTo(manifest.textSpec());
    assertThat(m.imageSpec().size()).isEqualTo(64);
    assertThat(m.imageSpec().mean()).containsExactly(ImageSpec.CLIP_MEAN);
    assertThat(m.metadata()).containsEntry("layout", "hf-clip");
    assertThat(m.contentHash()).hasSize(64).matches("[0-9a-f]+");
    assertThat(written.manifest().contentHash()).isEqualTo(m.contentHash());
    assertThat(loaded.resolve("text.onnx")).isEqualTo(loaded.dir().resolve("text.onnx"));
    loaded.verifyContentHash();
  }

  @Test
  void contentHashFollowsTheDocumentedRecipeAndChangesWithAnyByte() throws Exception {
    Map<String, byte[]> files = files(2);
    ModelBundle a =
        ModelBundle.write(tmp.resolve("a"), HfClipLayout.manifest("t", "1", 8, 32), files);

    var digest = java.security.MessageDigest.getInstance("SHA-256");
    for (String name : List.of("image.onnx", "text.onnx", "tokenizer.json")) {
      byte[] content = files.get(name);
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(java.nio.ByteBuffer.allocate(8).putLong(content.length).array());
      digest.update(content);
    }
    assertThat(a.manifest().contentHash()).isEqualTo(HexFormat.of().formatHex(digest.digest()));

    // Same files, other manifest metadata: same hash (the hash covers files, not model.json).
    ModelBundle b =
        ModelBundle.write(tmp.resolve("b"), HfClipLayout.manifest("other", "2", 8, 32), files);
    assertThat(b.manifest().contentHash()).isEqualTo(a.manifest().contentHash());

    Path text = a.resolve("text.onnx");
    byte[] changed = Files.readAllBytes(text);
    changed[500] ^= 1;
    Files.write(text, changed);
    assertThat(a.computeContentHash()).isNotEqualTo(a.manifest().contentHash());
    assertThatThrownBy(a::verifyContentHash)
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(a.manifest().contentHash());
  }

  @Test
  void missingDirectoryAndManifestAreNamed() {
    Path nowhere = tmp.resolve("nowhere");
    assertThatThrownBy(() -> ModelBundle.load(nowhere))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(nowhere.toString())
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("model.json")
        .hasMessageContaining(tmp.toString());
  }

  @Test
  void missingTowerFileNamesFieldAndPath() throws Exception {
    ModelBundle.write(tmp, HfClipLayout.manifest("t", "1", 8, 32), files(3));
    Files.delete(tmp.resolve("image.onnx"));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("'image.file'")
        .hasMessageContaining(tmp.resolve("image.onnx").toString());
  }

  @Test
  void invalidManifestFieldsAreNamed() throws Exception {
    ModelBundle.write(tmp, HfClipLayout.manifest("t", "1", 8, 32), files(4));
    Path json = tmp.resolve("model.json");
    String good = Files.readString(json);

    Files.writeString(json, good.replace("\"dim\" : 8", "\"dim\" : 0"));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(json.toString())
        .hasMessageContaining("dim=0");

    Files.writeString(json, good.replace("\"pooling\" : \"NONE\"", "\"pooling\" : \"MAXX\""));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("text.pooling")
        .hasMessageContaining("MAXX");

    Files.writeString(json, good.replace("\"dim\" : 8", "\"dimension\" : 8"));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("'dim'")
        .hasMessageContaining("missing");

    Files.writeString(json, good.replace("\"dim\" : 8", "\"dim\" : 8, \"dimm\" : 3"));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("dimm");

    Files.writeString(json, good.replace("\"text.onnx\"", "\"../escape.onnx\""));
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("'text.file'")
        .hasMessageContaining("outside the bundle directory");

    Files.writeString(json, "{ not json");
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void lowerCaseEnumsAreAccepted() throws Exception {
    ModelBundle.write(tmp, HfClipLayout.manifest("t", "1", 8, 32), files(5));
    Path json = tmp.resolve("model.json");
    Files.writeString(json, Files.readString(json).replace("\"NONE\"", "\"none\""));
    assertThat(ModelBundle.load(tmp).manifest().text().pooling()).isEqualTo(Pooling.NONE);
  }

  @Test
  void writeRejectsBadNamesAndForeignFiles() throws Exception {
    BundleManifest m = HfClipLayout.manifest("t", "1", 8, 32);
    assertThatThrownBy(
            () -> ModelBundle.write(tmp.resolve("x"), m, Map.of("../a.onnx", new byte[1])))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("../a.onnx");
    Files.writeString(tmp.resolve("stray.txt"), "x");
    assertThatThrownBy(() -> ModelBundle.write(tmp, m, files(6)))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("stray.txt");
    Path partial = tmp.resolve("partial");
    assertThatThrownBy(() -> ModelBundle.write(partial, m, Map.of("text.onnx", new byte[1])))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("'image.file'");
  }
}
