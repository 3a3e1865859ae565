package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.indexer.testing.TestImages;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 6, the other direction: a generation whose vectors come from another model than the
 * bundle its metadata names (here: a bundle whose ONNX files were replaced without a new manifest)
 * passes every check on the stored vectors alone, and fails {@code verify --bundle}'s model check;
 * a healthy one passes it.
 */
class VerifyModelCheckTest {
  @TempDir Path tmp;
  Path catalog;
  Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    Path cat = Files.createDirectories(tmp.resolve("catalog/images"));
    Random rnd = new Random(21);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Files.write(cat.resolve("p" + i + ".jpg"), TestImages.jpeg(rnd, 40, 48));
      rows.add(
          String.format(
              Locale.ROOT,
              "{\"id\":\"p%d\",\"name\":\"red shirt %d\",\"images\":[\"images/p%d.jpg\"]}",
              i,
              i,
              i));
    }
    catalog = tmp.resolve("catalog/catalog.jsonl");
    Files.writeString(catalog, String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
    bundle = TinyClipBundle.create(tmp.resolve("bundle"), 7).dir();
  }

  private void build(Path index, Path bundleDir) throws Exception {
    var r =
        VerifyCommandTest.cli(
            "build",
            "--index",
            index.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundleDir.toString(),
            "--progress",
            "none",
            "--threads",
            "2");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private VerifyCommandTest.Run verify(Path index, String... extra) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                "verify",
                "--index",
                index.toString(),
                "--bundle",
                bundle.toString(),
                "--catalog",
                catalog.toString()));
    a.addAll(List.of(extra));
    return VerifyCommandTest.cli(a.toArray(String[]::new));
  }

  @Test
  void aHealthyGenerationPassesTheModelCheck() throws Exception {
    Path index = tmp.resolve("index");
    build(index, bundle);

    VerifyCommandTest.Run ok = verify(index);
    assertThat(ok.exit()).as(ok.json() + ok.err()).isZero();
    assertThat(ok.json().get("modelChecked").asInt()).isEqualTo(16);
    assertThat(ok.json().get("modelMinCosine").asDouble()).isGreaterThanOrEqualTo(0.99);

    // an image changed since it was indexed is skipped, not held against the generation
    Files.write(catalog.resolveSibling("images/p3.jpg"), TestImages.jpeg(new Random(99), 40, 48));
    VerifyCommandTest.Run changed = verify(index, "--model-check", "20");
    assertThat(changed.exit()).as(changed.json() + changed.err()).isZero();
    assertThat(changed.json().get("modelChecked").asInt()).isEqualTo(19);
    assertThat(changed.json().get("modelSkipped").asInt()).isEqualTo(1);
  }

  @Test
  void vectorsOfAnotherModelUnderThisBundlesNameFail() throws Exception {
    // another model's files under this bundle's manifest (name, dim, content hash)
    Path other = TinyClipBundle.create(tmp.resolve("other"), 8).dir();
    Path swapped = Files.createDirectories(tmp.resolve("swapped"));
    try (Stream<Path> files = Files.list(other)) {
      for (Path f : files.toList()) {
        Files.copy(f, swapped.resolve(f.getFileName()));
      }
    }
    Files.copy(
        bundle.resolve("model.json"),
        swapped.resolve("model.json"),
        StandardCopyOption.REPLACE_EXISTING);
    Path index = tmp.resolve("index");
    build(index, swapped);

    VerifyCommandTest.Run metadataOnly =
        VerifyCommandTest.cli("verify", "--index", index.toString(), "--bundle", bundle.toString());
    assertThat(metadataOnly.exit())
        .as("the stored vectors and the metadata alone look healthy")
        .isZero();

    VerifyCommandTest.Run checked = verify(index);
    assertThat(checked.exit()).as(checked.err()).isEqualTo(IndexerCli.EXIT_VERIFY);
    JsonNode json = checked.json();
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("modelMinCosine").asDouble()).isLessThan(0.99);
    assertThat(json.get("problems").toString())
        .contains("model check")
        .contains("come from another model or preprocessing");
  }
}
