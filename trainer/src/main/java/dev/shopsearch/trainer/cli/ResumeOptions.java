package dev.shopsearch.trainer.cli;

import picocli.CommandLine.Option;

/** {@code --resume} of the commands that train (a picocli mixin). */
public final class ResumeOptions {

  @Option(
      names = "--resume",
      description =
          "Continue from the last checkpoint: the same data order, optimizer state and schedule,"
              + " so the run ends as if it had never been interrupted.")
  boolean resume;

  /** Whether to resume. */
  public boolean resume() {
    return resume;
  }
}
