package dev.shopsearch.service.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.VectorFormat;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FusionChoiceTest {
  private static final IndexMetadata UNCALIBRATED =
      new IndexMetadata(
          2,
          "m",
          "1",
          "h",
          8,
          Similarity.COSINE,
          VectorFormat.FLOAT,
          HnswParams.DEFAULT,
          "",
          Instant.EPOCH,
          1,
          1,
          1);
  private static final FusionSettings CALIBRATED =
      new FusionSettings(FusionStrategy.SCORE, 60, 0.2, 0.8);

  @Test
  void anUncalibratedIndexGetsEqualRrfWithTheConfiguredConstant() {
    FusionChoice c = FusionChoice.resolve(FusionOverride.NONE, UNCALIBRATED, 40);
    assertThat(c.settings()).isEqualTo(new FusionSettings(FusionStrategy.RRF, 40, 1, 1));
    assertThat(c.info().source()).isEqualTo("default");
  }

  @Test
  void anUncalibratedIndexWithTextVectorsLeavesTheSemanticListOutUnlessAsked() {
    FusionChoice c = FusionChoice.resolve(FusionOverride.NONE, UNCALIBRATED, 40, true);
    assertThat(c.settings()).isEqualTo(new FusionSettings(FusionStrategy.RRF, 40, 1, 1, 0));
    assertThat(c.info()).isEqualTo(new FusionInfo("rrf", 40, 1, 1, 0.0, "default"));
    FusionChoice asked =
        FusionChoice.resolve(
            FusionOverride.of(null, null, null, 1.0, null), UNCALIBRATED, 40, true);
    assertThat(asked.settings()).isEqualTo(new FusionSettings(FusionStrategy.RRF, 40, 1, 1, 1));
  }

  @Test
  void aCalibratedIndexIsFusedAsCalibrated() {
    FusionChoice c =
        FusionChoice.resolve(FusionOverride.NONE, UNCALIBRATED.withFusion(CALIBRATED), 40);
    assertThat(c.settings()).isEqualTo(CALIBRATED);
    assertThat(c.info()).isEqualTo(new FusionInfo("score", 60, 0.2, 0.8, "index"));
  }

  @Test
  void theRequestOverridesWhatItNames() {
    FusionChoice c =
        FusionChoice.resolve(
            FusionOverride.of("rrf", null, 3.0, null), UNCALIBRATED.withFusion(CALIBRATED), 40);
    assertThat(c.settings()).isEqualTo(new FusionSettings(FusionStrategy.RRF, 60, 0.2, 3.0));
    assertThat(c.info().source()).isEqualTo("request");
  }

  @Test
  void anOverrideThatZeroesTheOnlyWeightedListIsRefused() {
    IndexMetadata vectorOnly =
        UNCALIBRATED.withFusion(new FusionSettings(FusionStrategy.RRF, 60, 1, 0));
    assertThatThrownBy(
            () -> FusionChoice.resolve(FusionOverride.of(null, 0.0, null, null), vectorOnly, 60))
        .isInstanceOf(InvalidFusionException.class)
        .hasMessageContaining("must not both be 0")
        .extracting(e -> ((InvalidFusionException) e).parameter())
        .isEqualTo("vectorWeight");
  }
}
