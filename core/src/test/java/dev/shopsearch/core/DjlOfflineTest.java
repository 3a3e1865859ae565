package dev.shopsearch.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DjlOfflineTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty("ai.djl.offline");
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty("ai.djl.offline");
    } else {
      System.setProperty("ai.djl.offline", saved);
    }
  }

  @Test
  void setsOfflineWhenUnset() {
    System.clearProperty("ai.djl.offline");
    DjlOffline.ensure();
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
  }

  @Test
  void keepsAnExplicitChoice() {
    System.setProperty("ai.djl.offline", "false");
    DjlOffline.ensure();
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("false");
  }
}
