package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexMetadataTest {
  private final BundleManifest bundle =
      IndexTestData.manifest("demo-clip", "1.0", "abc123", 64, Similarity.COSINE);

  @Test
  void roundTripsThroughCommitUserData() {
    IndexMetadata meta =
        IndexMetadata.forBundle(bundle, VectorFormat.INT7, new HnswParams(24, 150), "cafe")
            .forCommit(3, 10, 25, "beef");
    Map<String, String> data = meta.toUserData();
    assertThat(data).containsEntry("shopsearch.vector_format", "int7");
    assertThat(data).containsEntry("shopsearch.model.hash", "abc123");
    IndexMetadata back = IndexMetadata.fromUserData(data);
    assertThat(back).isEqualTo(meta);
    assertThat(back.generation()).isEqualTo(3);
    assertThat(back.catalogChecksum()).isEqualTo("beef");
  }

  @Test
  void fusionSettingsAreOptionalAndCarriedToTheNextCommit() {
    IndexMetadata meta =
        IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "")
            .forCommit(3, 10, 25, "");
    assertThat(meta.fusion()).isNull();
    assertThat(meta.toUserData()).doesNotContainKey("shopsearch.fusion.strategy");
    assertThat(IndexMetadata.fromUserData(meta.toUserData()).fusionOrDefault())
        .isEqualTo(FusionSettings.EQUAL_RRF);

    FusionSettings calibrated = new FusionSettings(FusionStrategy.SCORE, 60, 0.2, 0.8);
    IndexMetadata withFusion = meta.withFusion(calibrated);
    IndexMetadata back = IndexMetadata.fromUserData(withFusion.toUserData());
    assertThat(back).isEqualTo(withFusion);
    assertThat(back.fusion()).isEqualTo(calibrated);
    assertThat(back.forCommit(4, 11, 26, "").fusion()).isEqualTo(calibrated);

    Map<String, String> broken = new HashMap<>(withFusion.toUserData());
    broken.put("shopsearch.fusion.weight.vector", "-3");
    assertThatThrownBy(() -> IndexMetadata.fromUserData(broken))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("vectorWeight must be in [0, 100]; got -3.0");
  }

  @Test
  void acceptsTheBundleItWasBuiltWith() {
    IndexMetadata meta =
        IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "");
    meta.checkCompatible(bundle);
    // same hash, other version string: still the same model files
    meta.checkCompatible(
        IndexTestData.manifest("demo-clip", "1.1", "ABC123", 64, Similarity.COSINE));
  }

  @Test
  void refusesAnotherModelNamingEveryDifference() {
    IndexMetadata meta =
        IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "");
    BundleManifest other =
        IndexTestData.manifest("other-clip", "2.0", "ffff", 128, Similarity.DOT_PRODUCT);
    assertThatThrownBy(() -> meta.checkCompatible(other))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("model name: index=demo-clip bundle=other-clip")
        .hasMessageContaining("dim: index=64 bundle=128")
        .hasMessageContaining("similarity: index=COSINE bundle=DOT_PRODUCT")
        .hasMessageContaining("model hash: index=abc123 bundle=ffff");
  }

  @Test
  void queriesMayUseAVerifiedInt8CopyButWritersMayNot() {
    IndexMetadata meta =
        IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "");
    BundleManifest int8 =
        IndexTestData.manifest("demo-clip", "1.0+int8", "ffff", 64, Similarity.COSINE)
            .withMetadata(
                Map.of(BundleManifest.QUANTIZATION_KEY, Map.of("sourceContentHash", "ABC123")));
    assertThat(int8.quantizedFrom()).contains("ABC123");

    meta.checkQueryCompatible(int8);
    assertThatThrownBy(() -> meta.checkCompatible(int8))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("model hash: index=abc123 bundle=ffff");
    BundleManifest copyOfAnother =
        int8.withMetadata(
            Map.of(BundleManifest.QUANTIZATION_KEY, Map.of("sourceContentHash", "0000")));
    assertThatThrownBy(() -> meta.checkQueryCompatible(copyOfAnother))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("model hash: index=abc123 bundle=ffff");
  }

  @Test
  void comparesVersionsWhenAHashIsMissing() {
    BundleManifest noHash = IndexTestData.manifest("demo-clip", "1.0", null, 64, Similarity.COSINE);
    IndexMetadata meta =
        IndexMetadata.forBundle(noHash, VectorFormat.FLOAT, HnswParams.DEFAULT, "");
    meta.checkCompatible(noHash);
    assertThatThrownBy(
            () ->
                meta.checkCompatible(
                    IndexTestData.manifest("demo-clip", "1.1", null, 64, Similarity.COSINE)))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("model version: index=1.0 bundle=1.1");
  }

  @Test
  void rejectsForeignOrMalformedUserData() {
    assertThatThrownBy(() -> IndexMetadata.fromUserData(Map.of()))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("no shopsearch metadata");
    Map<String, String> data =
        new HashMap<>(
            IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "")
                .toUserData());
    data.put("shopsearch.dim", "sixty-four");
    assertThatThrownBy(() -> IndexMetadata.fromUserData(data))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("shopsearch.dim is not an integer: 'sixty-four'");
    data.put("shopsearch.dim", "64");
    data.put("shopsearch.vector_format", "int3");
    assertThatThrownBy(() -> IndexMetadata.fromUserData(data))
        .hasMessageContaining("unknown vector format 'int3'");
  }

  @Test
  void readsAnOlderSchemaButOnlyAFullBuildMayWriteTheCurrentOne() {
    Map<String, String> data =
        new HashMap<>(
            IndexMetadata.forBundle(bundle, VectorFormat.FLOAT, HnswParams.DEFAULT, "")
                .forCommit(4, 1, 1, "")
                .toUserData());
    assertThat(data).containsEntry("shopsearch.schema_version", "4");
    IndexMetadata current = IndexMetadata.fromUserData(data);
    assertThat(current.hasLexicalFields()).isTrue();
    current.checkWritable();

    data.put("shopsearch.schema_version", "1");
    IndexMetadata old = IndexMetadata.fromUserData(data);
    assertThat(old.schemaVersion()).isEqualTo(1);
    assertThat(old.hasLexicalFields()).isFalse();
    assertThatThrownBy(old::checkWritable)
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("index generation 4 has schema version 1")
        .hasMessageContaining("this indexer writes version 4")
        .hasMessageContaining("indexer build");

    data.put("shopsearch.schema_version", "2");
    IndexMetadata beforeCatalogOrder = IndexMetadata.fromUserData(data);
    assertThat(beforeCatalogOrder.hasLexicalFields()).isTrue();
    assertThatThrownBy(beforeCatalogOrder::checkWritable)
        .hasMessageContaining("schema version 2 but this indexer writes version 4");

    // version 3 (before the product text vectors) is served, but not updated
    data.put("shopsearch.schema_version", "3");
    IndexMetadata beforeTextVectors = IndexMetadata.fromUserData(data);
    assertThat(beforeTextVectors.hasLexicalFields()).isTrue();
    assertThatThrownBy(beforeTextVectors::checkWritable)
        .hasMessageContaining("schema version 3 but this indexer writes version 4");

    data.put("shopsearch.schema_version", "5");
    assertThatThrownBy(() -> IndexMetadata.fromUserData(data))
        .isInstanceOf(IndexMismatchException.class)
        .hasMessageContaining("index schema version 5 is newer than this code supports (4)");
  }

  @Test
  void validatesHnswParameters() {
    assertThatThrownBy(() -> new HnswParams(0, 100))
        .hasMessageContaining("m must be in [1, 512]; m=0");
    assertThatThrownBy(() -> new HnswParams(16, 5000))
        .hasMessageContaining("beam width must be in [1, 3200]; beamWidth=5000");
  }
}
