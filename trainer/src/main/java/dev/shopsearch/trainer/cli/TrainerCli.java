package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.DjlOffline;
import dev.shopsearch.trainer.locked.LockedTrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code trainer} command line. DJL must run offline and without telemetry: the launcher
 * ({@code bin/trainer}) passes {@code -Dai.djl.offline=true} and sets {@code
 * OPT_OUT_TRACKING=true}; {@link #main} also sets the system property when it is missing.
 */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = "Fine-tune, evaluate, import and download CLIP dual encoders as model bundles.",
    subcommands = {
      FineTuneCommand.class,
      EvalCommand.class,
      ImportHfCommand.class,
      PullCommand.class,
      QuantizeCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      LockedTrainCommand.class
    })
public final class TrainerCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Entry point. */
  public static void main(String[] args) {
    DjlOffline.ensure();
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new TrainerCli()).execute(args);
  }
}
