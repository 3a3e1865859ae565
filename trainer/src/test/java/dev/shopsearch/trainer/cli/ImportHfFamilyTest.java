package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.trainer.hf.HfFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-hf} detects the family from config.json and refuses those it does not know in one
 * line.
 */
class ImportHfFamilyTest {

  @TempDir Path dir;

  private Path checkpoint(String name, String configJson) throws IOException {
    Path ck = Files.createDirectories(dir.resolve(name));
    Files.writeString(ck.resolve("config.json"), configJson);
    return ck;
  }

  private TrainerCliTest.Run importHf(Path ck) {
    return TrainerCliTest.cli("import-hf", ck.toString(), "--out", dir.resolve("out").toString());
  }

  private void assertUsageLine(TrainerCliTest.Run r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_USAGE);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).doesNotContain("\tat ", "Exception");
    assertThat(r.err()).startsWith("trainer import-hf: ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void unknownModelTypeIsNamedWithTheSupportedOnes() throws IOException {
    Path ck = checkpoint("bert", "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"]}");
    assertUsageLine(
        importHf(ck),
        "model_type 'bert' is not supported",
        "supported model types: clip, chinese_clip, siglip");
  }

  @Test
  void fineTuningFromAnUnknownFamilyIsRefusedInOneLine() throws IOException {
    Path ck = checkpoint("bert", "{\"model_type\": \"bert\"}");
    Path catalog = Files.writeString(dir.resolve("c.jsonl"), "{}\n");
    TrainerCliTest.Run r =
        TrainerCliTest.cli(
            "fine-tune",
            "--catalog",
            catalog.toString(),
            "--from",
            ck.toString(),
            "--out",
            dir.resolve("run").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_USAGE);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains("--from", "model_type 'bert' is not supported", "siglip");
    assertThat(dir.resolve("run")).doesNotExist();
  }

  @Test
  void chineseClipImportsNowAndOnlyAsksForItsFiles() throws IOException {
    Path ck =
        checkpoint(
            "cn",
            """
            {"architectures": ["ChineseCLIPModel"], "model_type": "chinese_clip",
             "projection_dim": 512,
             "text_config": {"model_type": "chinese_clip_text_model", "vocab_size": 21128},
             "vision_config": {"model_type": "chinese_clip_vision_model", "patch_size": 16}}
            """);
    assertThat(HfFamily.detect(ck).importable()).isTrue();
    TrainerCliTest.Run r = importHf(ck);
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_FAILURE);
    assertThat(r.err()).contains("lacks model.safetensors").doesNotContain("cannot be imported");
  }

  @Test
  void siglipImportsNowAndOnlyAsksForItsFiles() throws IOException {
    Path ck =
        checkpoint(
            "siglip",
            """
            {"architectures": ["SiglipModel"], "model_type": "siglip",
             "text_config": {"model_type": "siglip_text_model"},
             "vision_config": {"model_type": "siglip_vision_model"}}
            """);
    assertThat(HfFamily.detect(ck)).isEqualTo(HfFamily.SIGLIP);
    assertThat(HfFamily.detect(ck).importable()).isTrue();
    TrainerCliTest.Run r = importHf(ck);
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_FAILURE);
    assertThat(r.err()).contains("lacks model.safetensors").doesNotContain("cannot be imported");
  }

  @Test
  void openClipTowersThatAreNotClipsAreRefusedNamingTheSetting() throws IOException {
    Path ck = Files.createDirectories(dir.resolve("laion-convnext"));
    Files.writeString(
        ck.resolve("open_clip_config.json"),
        """
        {"model_cfg": {"embed_dim": 640,
           "vision_cfg": {"timm_model_name": "convnext_base", "timm_pool": "", "image_size": 256},
           "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 640, "heads": 10,
             "layers": 12}}}
        """);
    assertThat(HfFamily.detect(ck)).isEqualTo(HfFamily.OPEN_CLIP);
    assertUsageLine(
        importHf(ck), "vision_cfg.timm_model_name=\"convnext_base\"", "is not supported");
  }

  @Test
  void anOpenClipPickleIsAFailureSayingHowToConvert() throws Exception {
    Path ck = dir.resolve("laion-bin");
    dev.shopsearch.trainer.hf.OpenClipImportTest.writeOpenClip(
        ck,
        dev.shopsearch.trainer.hf.OpenClipImportTest.tinyWeights(
            dev.shopsearch.tooling.onnx.ClipConfig.Activation.GELU, 1),
        false,
        null,
        false);
    Files.delete(ck.resolve("open_clip_model.safetensors"));
    Files.writeString(ck.resolve("open_clip_pytorch_model.bin"), "pickle");
    TrainerCliTest.Run r = importHf(ck);
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_FAILURE);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains("holds only open_clip_pytorch_model.bin", "safetensors");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void missingModelTypeIsAnErrorUnlessTheArchitectureIsClip() throws IOException {
    Path bare = checkpoint("bare", "{\"hidden_size\": 8}");
    assertUsageLine(importHf(bare), "has no model_type", "clip, chinese_clip, siglip");
    Path old = checkpoint("old", "{\"architectures\": [\"CLIPModel\"]}");
    assertThat(HfFamily.detect(old)).isEqualTo(HfFamily.CLIP);
  }

  @Test
  void missingOrBrokenConfigIsAFailureNamingTheFile() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    TrainerCliTest.Run r = importHf(empty);
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_FAILURE);
    assertThat(r.err())
        .contains("lacks config.json", "open_clip_config.json")
        .doesNotContain("\tat ");
    Path broken = checkpoint("broken", "{\"model_type\": ");
    r = importHf(broken);
    assertThat(r.exit()).as(r.err()).isEqualTo(TrainerCli.EXIT_FAILURE);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("config.json is not valid JSON");
  }
}
