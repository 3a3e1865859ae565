package dev.shopsearch.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution providers on this CPU-only build: CUDA fails clearly or falls back visibly. */
class OnnxSessionsTest {
  @TempDir Path tmp;

  private ModelBundle bundle() {
    return TestBundles.write(
        tmp.resolve("b"),
        8,
        HfClipLayout.textTower(),
        TestGraphs.pooledText(TestBundles.VOCAB, 8, 8, 1),
        HfClipLayout.imageTower(),
        TestGraphs.pooledImage(TestBundles.IMAGE_SIZE, 8, 2),
        77,
        Map.of());
  }

  private static boolean cudaAvailable() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
  }

  @Test
  void cudaWithoutFallbackFailsWithAClearError() {
    if (cudaAvailable()) {
      return; // a CUDA build: covered by the GPU check, not here
    }
    ModelBundle b = bundle();
    EncoderOptions cuda = new EncoderOptions(ExecutionProvider.CUDA, 1, false, 1);
    assertThatThrownBy(() -> Encoders.text(b, cuda))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("cuda:1")
        .hasMessageContaining("CPU")
        .hasMessageContaining("-Pcuda");
    assertThatThrownBy(() -> Encoders.image(b, cuda)).isInstanceOf(EncoderException.class);
  }

  @Test
  void cudaWithFallbackRunsOnCpuAndSaysSo() {
    if (cudaAvailable()) {
      return;
    }
    ModelBundle b = bundle();
    EncoderOptions fallback = new EncoderOptions(ExecutionProvider.CUDA, 0, true, 1);
    try (TextEncoder text = Encoders.text(b, fallback);
        ImageEncoder image = Encoders.image(b, fallback);
        TextEncoder cpu = Encoders.text(b, EncoderOptions.cpu())) {
      assertThat(text.executionProvider()).isEqualTo(ActiveProvider.cpuFallbackFrom(0));
      assertThat(text.executionProvider().onGpu()).isFalse();
      assertThat(text.executionProvider()).hasToString("cpu (fallback from cuda:0)");
      assertThat(image.executionProvider()).hasToString("cpu (fallback from cuda:0)");
      assertThat(text.encode(List.of("red shoes")).get(0)).containsExactly(cpu.encode("red shoes"));
    }
  }

  @Test
  void threadCountDefaultsToTheCores() {
    assertThat(OnnxSessions.intraOpThreads(EncoderOptions.cpu()))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(OnnxSessions.intraOpThreads(new EncoderOptions(ExecutionProvider.CPU, 0, false, 3)))
        .isEqualTo(3);
  }

  @Test
  void missingModelFileIsNamed() {
    Path missing = tmp.resolve("none.onnx");
    assertThatThrownBy(() -> OnnxSessions.open(missing, EncoderOptions.cpu()))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining(missing.toString());
  }
}
