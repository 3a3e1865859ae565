package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --backend} and the OpenSearch options: typed records, fail-fast messages. */
class BackendOptionsTest {
  @TempDir Path tmp;

  private BackendOptions parse(String... args) {
    BackendOptions o = new BackendOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void luceneIsTheDefault() {
    assertThat(parse().kind()).isEqualTo(BackendOptions.Backend.LUCENE);
  }

  @Test
  void openSearchOptionsBecomeTypedRecords() {
    BackendOptions o =
        parse(
            "--backend",
            "opensearch",
            "--opensearch-url",
            "http://a:9200,https://b:9201",
            "--alias",
            "shop",
            "--shards",
            "2",
            "--replicas",
            "1",
            "--bulk-size",
            "50",
            "--bulk-concurrency",
            "3",
            "--bulk-retries",
            "4",
            "--opensearch-timeout",
            "30");
    BackendOptions.OpenSearchTarget t = o.openSearchTarget(2);
    assertThat(t.connection().hosts())
        .containsExactly(URI.create("http://a:9200"), URI.create("https://b:9201"));
    assertThat(t.connection().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.layout().alias()).isEqualTo("shop");
    assertThat(t.layout().shards()).isEqualTo(2);
    assertThat(t.layout().keepGenerations()).isEqualTo(2);
    assertThat(t.layout().segmentReplication()).isTrue();
    assertThat(t.bulk().batchSize()).isEqualTo(50);
    assertThat(t.bulk().concurrency()).isEqualTo(3);
    assertThat(t.bulk().maxRetries()).isEqualTo(4);
  }

  @Test
  void badValuesFailNamingTheOptionAndWhatIsAccepted() {
    assertThatThrownBy(() -> parse("--backend", "solr").kind())
        .hasMessageContaining("--backend must be lucene or opensearch")
        .hasMessageContaining("solr");
    assertThatThrownBy(() -> parse("--backend", "opensearch").validate(3))
        .hasMessageContaining("--opensearch-url");
    assertThatThrownBy(
            () ->
                parse(
                        "--backend",
                        "opensearch",
                        "--opensearch-url",
                        "http://a:9200",
                        "--bulk-concurrency",
                        "0")
                    .validate(3))
        .hasMessageContaining("concurrency must be in [1, 64]");
    assertThatThrownBy(
            () ->
                parse(
                        "--backend",
                        "opensearch",
                        "--opensearch-url",
                        "http://a:9200",
                        "--replication",
                        "logical")
                    .validate(3))
        .hasMessageContaining("--replication must be segment or document")
        .hasMessageContaining("logical");
  }

  @Test
  void documentReplicationIsAChoice() {
    BackendOptions o =
        parse(
            "--backend",
            "opensearch",
            "--opensearch-url",
            "http://a:9200",
            "--replication",
            "DOCUMENT");
    assertThat(o.openSearchTarget(2).layout().segmentReplication()).isFalse();
  }

  @Test
  void theBuildCommandRefusesAnOpenSearchBackendWithoutUrlBeforeLoadingTheModel() {
    var cl = IndexerCli.commandLine();
    var err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
    int exit =
        cl.execute(
            "build",
            "--index",
            tmp.resolve("index").toString(),
            "--catalog",
            tmp.resolve("catalog.jsonl").toString(),
            "--mapping",
            "magento-luma",
            "--bundle",
            tmp.resolve("no-bundle").toString(),
            "--backend",
            "opensearch");
    assertThat(exit).isEqualTo(IndexerCli.EXIT_FAILURE);
    assertThat(err.toString()).contains("--opensearch-url").doesNotContain("bundle");
  }

  @Test
  void credentialsComeFromEnvOrAFileAndNeverShowInTheConfig() throws Exception {
    java.nio.file.Path pw = java.nio.file.Files.writeString(tmp.resolve("pw"), "from-file-pw\n");
    BackendOptions o =
        parse(
            "--backend",
            "opensearch",
            "--opensearch-url",
            "https://a:9200",
            "--opensearch-user",
            "admin",
            "--opensearch-password-file",
            pw.toString());
    BackendOptions.OpenSearchTarget t = o.openSearchTarget(3);
    assertThat(new String(t.connection().security().password().reveal())).isEqualTo("from-file-pw");
    assertThat(t.toString()).doesNotContain("from-file-pw").contains("<hidden>");

    BackendOptions fromEnv = parse("--backend", "opensearch", "--opensearch-url", "https://a:9200");
    fromEnv.env =
        java.util.Map.of(
            BackendOptions.USER_ENV, "indexer", BackendOptions.PASSWORD_ENV, "from-env-pw");
    var sec = fromEnv.openSearchTarget(3).connection().security();
    assertThat(sec.username()).isEqualTo("indexer");
    assertThat(new String(sec.password().reveal())).isEqualTo("from-env-pw");

    BackendOptions missing =
        parse(
            "--backend",
            "opensearch",
            "--opensearch-url",
            "https://a:9200",
            "--opensearch-user",
            "admin");
    missing.env = java.util.Map.of();
    assertThatThrownBy(() -> missing.validate(3)).hasMessageContaining(BackendOptions.PASSWORD_ENV);

    BackendOptions noAuth = parse("--backend", "opensearch", "--opensearch-url", "http://a:9200");
    noAuth.env = java.util.Map.of();
    assertThat(noAuth.openSearchTarget(3).connection().security().basicAuth()).isFalse();
  }
}
