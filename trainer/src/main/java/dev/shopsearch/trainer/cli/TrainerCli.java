package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.DjlOffline;
import dev.shopsearch.trainer.locked.LockedBenchmark;
import dev.shopsearch.trainer.locked.LockedTrainCommand;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code trainer} command line. Exit codes, the indexer's (docs/indexer.md): {@value #EXIT_OK}
 * success; {@value #EXIT_FAILURE} failure (one line on stderr, e.g. a missing file; {@code
 * -Dtrainer.stacktrace=true} adds the trace); {@value #EXIT_USAGE} bad usage (an unknown or missing
 * option, an option value out of range: one line naming the option); and {@value #EXIT_INTERRUPTED}
 * interrupted by Ctrl-C or SIGTERM after the last checkpoint ({@code --resume} continues). DJL must
 * run offline and without telemetry: the launcher ({@code bin/trainer}) passes {@code
 * -Dai.djl.offline=true} and sets {@code OPT_OUT_TRACKING=true}; {@link #main} also sets the system
 * property when it is missing.
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
      LockedTrainCommand.class,
      LockedBenchmark.class
    })
public final class TrainerCli implements Runnable {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 64;
  public static final int EXIT_INTERRUPTED = 130;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Entry point. */
  public static void main(String[] args) {
    DjlOffline.ensure();
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: one-line errors and the documented exit codes. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TrainerCli());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr()
              .println(
                  qualifiedName(cmd)
                      + ": "
                      + ex.getMessage()
                      + " (see '"
                      + qualifiedName(cmd)
                      + " --help')");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          boolean usage = ex instanceof UsageException;
          cmd.getErr().println(qualifiedName(cmd) + ": " + describe(ex));
          if (Boolean.getBoolean("trainer.stacktrace")) {
            ex.printStackTrace(cmd.getErr());
          }
          return usage ? EXIT_USAGE : EXIT_FAILURE;
        });
    return cl;
  }

  private static String qualifiedName(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName();
  }

  /** One line for an exception: its message, with the kind of file error spelled out. */
  static String describe(Throwable e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String msg = t.getMessage();
    if (t instanceof NoSuchFileException) {
      return "no such file: " + msg;
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + msg;
    }
    return msg == null || msg.isBlank() ? t.toString() : msg.replace('\n', ' ');
  }
}
