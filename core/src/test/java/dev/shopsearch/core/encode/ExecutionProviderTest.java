package dev.shopsearch.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutionProviderTest {

  @Test
  void parsesConfiguredNamesInAnyCaseAndDefaultsToCpu() {
    assertThat(ExecutionProvider.parse("cpu")).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.parse(" CUDA ")).isEqualTo(ExecutionProvider.CUDA);
    assertThat(ExecutionProvider.parse(null)).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.parse("  ")).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.CUDA.id()).isEqualTo("cuda");
  }

  @Test
  void anUnknownProviderNamesTheValueAndTheAcceptedOnes() {
    assertThatThrownBy(() -> ExecutionProvider.parse("cuda:0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("execution provider must be one of [cpu, cuda]; provider=cuda:0");
    assertThatThrownBy(() -> new EncoderOptions(null, 0, false, 0))
        .hasMessageContaining("provider must not be null");
  }

  @Test
  void theActiveProviderReportsWhereItRunsAndWhetherThatIsAGpu() {
    assertThat(ActiveProvider.cpu()).hasToString("cpu");
    assertThat(ActiveProvider.cuda(1)).hasToString("cuda:1");
    assertThat(ActiveProvider.cpuFallbackFrom(0)).hasToString("cpu (fallback from cuda:0)");
    assertThat(ActiveProvider.cuda(0).onGpu()).isTrue();
    // the String this replaced was tested with startsWith("cuda"); a fallback must not count
    assertThat(ActiveProvider.cpuFallbackFrom(0).onGpu()).isFalse();
    assertThat(ActiveProvider.cpu().onGpu()).isFalse();
    assertThatThrownBy(() -> new ActiveProvider(ExecutionProvider.CUDA, 0, true))
        .hasMessageContaining("only CPU can be a fallback");
    assertThatThrownBy(() -> ActiveProvider.cuda(-1)).hasMessageContaining("deviceId=-1");
  }
}
