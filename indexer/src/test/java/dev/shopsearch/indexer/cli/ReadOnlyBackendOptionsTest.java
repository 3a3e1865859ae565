package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code verify}, {@code stats} and {@code audit} take the backend options of {@code build}: a bad
 * or incomplete choice is a usage error ({@link IndexerCli#EXIT_USAGE}) naming the option and what
 * it accepts, before any connection.
 */
class ReadOnlyBackendOptionsTest {
  record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void anUnknownBackendIsAUsageErrorNamingTheAcceptedValues() {
    for (String command : new String[] {"verify", "stats"}) {
      Run r = cli(command, "--backend", "solr");
      assertThat(r.exit()).as(command).isEqualTo(IndexerCli.EXIT_USAGE);
      assertThat(r.err()).contains("--backend must be lucene or opensearch; got 'solr'");
    }
  }

  @Test
  void openSearchNeedsAUrl() {
    for (String command : new String[] {"verify", "stats"}) {
      Run r = cli(command, "--backend", "opensearch");
      assertThat(r.exit()).as(command).isEqualTo(IndexerCli.EXIT_USAGE);
      assertThat(r.err()).contains("--opensearch-url");
    }
  }

  @Test
  void anInvalidAliasIsNamed() {
    Run r =
        cli(
            "stats",
            "--backend",
            "opensearch",
            "--opensearch-url",
            "http://127.0.0.1:1",
            "--alias",
            "Bad Alias");
    assertThat(r.exit()).isEqualTo(IndexerCli.EXIT_USAGE);
    assertThat(r.err()).contains("alias must be lower-case").contains("Bad Alias");
  }

  @Test
  void luceneNeedsAnIndexRoot() {
    for (String command : new String[] {"verify", "stats"}) {
      Run r = cli(command);
      assertThat(r.exit()).as(command).isEqualTo(IndexerCli.EXIT_USAGE);
      assertThat(r.err()).contains("--index DIR is required with --backend lucene");
    }
  }

  @Test
  void auditTakesTheSameBackendOptionsBeforeLoadingItsBundle() {
    String[][] cases = {
      {"--backend", "solr"}, {"--backend", "opensearch"}, {},
    };
    String[] messages = {
      "--backend must be lucene or opensearch; got 'solr'",
      "--opensearch-url",
      "--index DIR is required with --backend lucene",
    };
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new ArrayList<>(List.of("audit", "--bundle", "no-such-bundle"));
      args.addAll(List.of(cases[i]));
      Run r = cli(args.toArray(String[]::new));
      assertThat(r.exit()).as(args.toString()).isEqualTo(IndexerCli.EXIT_USAGE);
      assertThat(r.err()).as(args.toString()).contains(messages[i]);
    }
  }

  @Test
  void theModelReEncodingCheckIsEmbeddedOnly() {
    Run r =
        cli(
            "verify",
            "--backend",
            "opensearch",
            "--opensearch-url",
            "http://127.0.0.1:1",
            "--catalog",
            "catalog.jsonl");
    assertThat(r.exit()).isEqualTo(IndexerCli.EXIT_USAGE);
    assertThat(r.err()).contains("embedded-only");
  }

  @Test
  void verifySettingsOutOfRangeAreUsageErrorsNamingTheLimit() {
    Run r = cli("verify", "--index", "x", "-k", "0");
    assertThat(r.exit()).isEqualTo(IndexerCli.EXIT_USAGE);
    assertThat(r.err()).contains("k must be in [1, 1000]; k=0");
  }
}
