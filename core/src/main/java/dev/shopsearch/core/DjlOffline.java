package dev.shopsearch.core;

/**
 * Keeps DJL (the tokenizers here, the PyTorch engine in the trainer) offline: no model-zoo or
 * native downloads and no telemetry. Launchers also pass {@code -Dai.djl.offline=true} and set
 * {@code OPT_OUT_TRACKING=true}; every entry point calls {@link #ensure()} first so that a plain
 * {@code java -jar} stays offline too.
 */
public final class DjlOffline {
  private DjlOffline() {}

  /** Sets {@code ai.djl.offline=true} unless the caller chose a value explicitly. */
  public static void ensure() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
