package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.DjlOffline;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code indexer} command line. Exit codes (docs/indexer.md has the table): 0 success; 1
 * failure (message on stderr); 2 the catalog's content stopped a {@code build} or {@code update}
 * and nothing was published: the reject rate passed its threshold, or a build indexed no product; 3
 * verification failed; 64 bad usage.
 */
@Command(
    name = "indexer",
    mixinStandardHelpOptions = true,
    version = "shopsearch indexer 0.1.0",
    description = "Builds and maintains shopsearch Lucene index generations from a catalog.",
    subcommands = {
      BuildCommand.class,
      UpdateCommand.class,
      VerifyCommand.class,
      AuditCommand.class,
      StatsCommand.class,
      CalibrateCommand.class,
      dev.shopsearch.indexer.bench.BenchCommand.class
    })
public final class IndexerCli implements Runnable {
  public static final int EXIT_FAILURE = 1;

  /** Nothing published because of the catalog: too many rejects, or a build with no product. */
  public static final int EXIT_REJECTS = 2;

  public static final int EXIT_VERIFY = 3;
  public static final int EXIT_USAGE = 64;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The configured command line (used by main and by tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new IndexerCli());
    cl.setExitCodeExceptionMapper(
        e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
    cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
    cl.getSubcommands()
        .values()
        .forEach(c -> c.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("indexer: " + describe(ex));
          if (Boolean.getBoolean("indexer.stacktrace")) {
            ex.printStackTrace(cmd.getErr());
          }
          return EXIT_FAILURE;
        });
    return cl;
  }

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + msg;
    }
    return msg == null ? e.toString() : msg;
  }

  public static void main(String[] args) {
    DjlOffline.ensure();
    System.exit(commandLine().execute(args));
  }
}
