package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.tooling.onnx.ClipConfig;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code open_clip_config.json} → CLIP family, and the settings that are refused. */
class OpenClipConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** laion/CLIP-ViT-B-32-laion2B-s34B-b79K's open_clip_config.json (open_clip's ViT-B-32). */
  private static final String LAION_B32 =
      """
      {"model_cfg": {"embed_dim": 512,
         "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 32},
         "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8,
           "layers": 12}},
       "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073],
         "std": [0.26862954, 0.26130258, 0.27577711]}}
      """;

  private static OpenClipConfig parse(String json) throws IOException {
    return OpenClipConfig.parse(JSON.readTree(json));
  }

  @Test
  void laionViTB32MapsOntoClipWithGelu() throws IOException {
    OpenClipConfig c = parse(LAION_B32);
    ClipConfig vitB32 = ClipConfig.vitB32();
    assertThat(c.clip().text()).isEqualTo(vitB32.text());
    assertThat(c.clip().image()).isEqualTo(vitB32.image());
    assertThat(c.clip().embedDim()).isEqualTo(512);
    assertThat(c.clip().activation())
        .as("no quick_gelu: nn.GELU")
        .isEqualTo(ClipConfig.Activation.GELU);
    assertThat(c.customText()).isFalse();
    assertThat(c.hfTokenizerName()).isNull();
    assertThat(c.imageSpec()).usingRecursiveComparison().isEqualTo(ImageSpec.clip(224));
  }

  @Test
  void quickGeluHeadWidthAndPreprocessingAreRead() throws IOException {
    OpenClipConfig c =
        parse(
            """
            {"model_cfg": {"embed_dim": 768, "quick_gelu": true, "custom_text": true,
               "vision_cfg": {"image_size": [336, 336], "layers": 24, "width": 1024,
                 "patch_size": 14, "head_width": 64, "patch_dropout": 0.5},
               "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 768,
                 "heads": 12, "layers": 12, "hf_tokenizer_name": "laion/some-repo"}},
             "preprocess_cfg": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
               "interpolation": "bilinear", "resize_mode": "squash", "size": 336}}
            """);
    assertThat(c.clip().activation()).isEqualTo(ClipConfig.Activation.QUICK_GELU);
    assertThat(c.clip().image()).isEqualTo(new ClipConfig.ImageTower(336, 14, 1024, 24, 16));
    assertThat(c.customText()).isTrue();
    assertThat(c.hfTokenizerName()).isEqualTo("laion/some-repo");
    assertThat(c.imageSpec().resize()).isEqualTo(ImageSpec.Resample.BILINEAR);
    assertThat(c.imageSpec().centerCrop()).isFalse();
    assertThat(c.imageSpec().mean()).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ResNet tower|\"vision_cfg\": {\"layers\": [3, 4, 6, 3], \"width\": 64}|vision_cfg.layers=[3,4,6,3] (a ModifiedResNet image tower)",
        "ConvNeXt via timm|\"vision_cfg\": {\"timm_model_name\": \"convnext_base\"}|vision_cfg.timm_model_name=\"convnext_base\"",
        "attentional pooler|\"vision_cfg\": {\"attentional_pool\": true}|vision_cfg.attentional_pool=true",
        "no ln_pre|\"vision_cfg\": {\"no_ln_pre\": true}|vision_cfg.no_ln_pre=true",
        "avg pooling|\"vision_cfg\": {\"pool_type\": \"avg\"}|vision_cfg.pool_type=\"avg\"",
        "layer scale|\"vision_cfg\": {\"ls_init_value\": 0.1}|vision_cfg.ls_init_value=0.1",
        "SigLIP text pooling|\"text_cfg\": {\"pool_type\": \"last\"}|text_cfg.pool_type=\"last\"",
        "HF text tower|\"text_cfg\": {\"hf_model_name\": \"roberta-base\"}|text_cfg.hf_model_name=\"roberta-base\"",
        "bidirectional text|\"text_cfg\": {\"no_causal_mask\": true}|text_cfg.no_causal_mask=true",
        "text proj bias|\"text_cfg\": {\"proj_bias\": true}|text_cfg.proj_bias=true",
        "tanh GELU|\"text_cfg\": {\"act_kwargs\": {\"approximate\": \"tanh\"}}|text_cfg.act_kwargs=",
        "tokenizer cleaning|\"text_cfg\": {\"tokenizer_kwargs\": {\"clean\": \"canonicalize\"}}|text_cfg.tokenizer_kwargs=",
        "SigLIP logit bias|\"init_logit_bias\": -10|model_cfg.init_logit_bias=-10",
        "CoCa|\"multimodal_cfg\": {\"width\": 512}|model_cfg.multimodal_cfg=",
        "unknown key|\"frobnicate\": 1|model_cfg.frobnicate=1 is not a setting this import knows",
        "unknown vision key|\"vision_cfg\": {\"rope\": true}|vision_cfg.rope=true is not a setting"
      })
  void settingsThatChangeTheTowersAreRefusedByName(String what, String setting, String message) {
    String json = "{\"model_cfg\": {\"embed_dim\": 512, " + setting + "}}";
    assertThatThrownBy(() -> parse(json))
        .as(what)
        .isInstanceOf(HfFamily.UnsupportedFamilyException.class)
        .hasMessageContaining("open_clip_config.json")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
  }

  @Test
  void preprocessingThatTheBundleCannotExpressIsRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    {"model_cfg": {"embed_dim": 512},
                     "preprocess_cfg": {"resize_mode": "longest"}}
                    """))
        .hasMessageContaining("preprocess_cfg.resize_mode=longest is not supported");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    {"model_cfg": {"embed_dim": 512}, "preprocess_cfg": {"mean": [0.5, 0.5]}}
                    """))
        .hasMessageContaining("preprocess_cfg.mean must be 3 numbers");
    assertThatThrownBy(() -> parse("{\"preprocess_cfg\": {}}"))
        .hasMessageContaining("no model_cfg");
  }
}
