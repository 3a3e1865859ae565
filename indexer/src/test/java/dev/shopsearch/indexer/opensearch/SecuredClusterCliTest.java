package dev.shopsearch.indexer.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.indexer.cli.IndexerCli;
import dev.shopsearch.secureengine.SecuredNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer's connection options against a real cluster with the security plugin on ({@link
 * SecuredNode}: OpenSearch 3.4.0, TLS with a private CA, basic auth; no k-NN, so nothing is built
 * there): {@code --opensearch-user}, {@code --opensearch-password-file} and {@code
 * --opensearch-truststore} reach the cluster, which answers that no generation is published; a
 * wrong password and an untrusted certificate fail naming the cause, never the password.
 */
@Tag("slow")
class SecuredClusterCliTest {

  record Run(int exit, String out, String err) {}

  private static Run cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<String> verify(SecuredNode node, Path passwordFile, Path trustStore) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--backend",
                "opensearch",
                "--opensearch-url",
                node.httpsUri().toString(),
                "--alias",
                "products",
                "--opensearch-user",
                node.user(),
                "--opensearch-password-file",
                passwordFile.toString()));
    if (trustStore != null) {
      args.addAll(List.of("--opensearch-truststore", trustStore.toString()));
    }
    return args;
  }

  @Test
  void theConnectionOptionsReachASecuredCluster(@TempDir Path dir) throws Exception {
    SecuredNode node;
    try {
      node = SecuredNode.start(Files.createDirectories(dir.resolve("node")));
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    try (node) {
      String secret = new String(node.password());
      Path password = Files.writeString(dir.resolve("password"), secret + "\n");
      Path wrong = Files.writeString(dir.resolve("wrong"), "not-" + secret);

      Run reached = cli(verify(node, password, node.caCertificate()));
      assertThat(reached.exit())
          .as(reached.out() + reached.err())
          .isEqualTo(IndexerCli.EXIT_FAILURE);
      assertThat(reached.err()).contains("no published generation: the alias names no index");

      Run refused = cli(verify(node, wrong, node.caCertificate()));
      assertThat(refused.exit())
          .as(refused.out() + refused.err())
          .isEqualTo(IndexerCli.EXIT_FAILURE);
      assertThat(refused.err()).contains("401").doesNotContain(secret);

      Run untrusted = cli(verify(node, password, null));
      assertThat(untrusted.exit())
          .as(untrusted.out() + untrusted.err())
          .isEqualTo(IndexerCli.EXIT_FAILURE);
      assertThat(untrusted.err())
          .contains("PKIX")
          .doesNotContain("no published generation")
          .doesNotContain(secret);
    }
  }
}
