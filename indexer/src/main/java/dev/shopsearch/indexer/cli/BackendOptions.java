package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.LuceneGenerationStore;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.ClusterSecurity;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchGenerationStore;
import dev.shopsearch.opensearch.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code build} and {@code update} publish: the embedded Lucene generations under {@code
 * --index} (default) or an OpenSearch cluster ({@code --backend opensearch}). With OpenSearch,
 * {@code --index} still holds the embedding cache and the reject files.
 */
final class BackendOptions {
  @Option(
      names = "--backend",
      defaultValue = "lucene",
      paramLabel = "lucene|opensearch",
      description = "Where generations are published (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--opensearch-url",
      paramLabel = "URL",
      split = ",",
      description =
          "OpenSearch node(s), http(s)://host:port (repeatable or comma-separated);"
              + " required with --backend opensearch.")
  List<URI> urls;

  @Option(
      names = "--alias",
      defaultValue = "products",
      description = "Alias queries use; generations are indices <alias>-gen-NNNNNN.")
  String alias;

  @Option(names = "--shards", defaultValue = "1", description = "Primary shards per generation.")
  int shards;

  @Option(names = "--replicas", defaultValue = "1", description = "Replicas per shard.")
  int replicas;

  @Option(
      names = "--replication",
      defaultValue = "segment",
      paramLabel = "segment|document",
      description =
          "How replicas copy a generation (default: ${DEFAULT-VALUE}): segment (replicas copy"
              + " the primary's files, every copy ranks with the same HNSW graph) or document"
              + " (each copy indexes; the k-NN plugin then leaves the vectors out of the stored"
              + " _source, ~4.5 KB per 512-d vector per copy less).")
  String replication;

  @Option(
      names = "--bulk-size",
      defaultValue = "500",
      description = "Documents per _bulk request (default: ${DEFAULT-VALUE}).")
  int bulkSize;

  @Option(
      names = "--bulk-concurrency",
      defaultValue = "2",
      description = "_bulk requests in flight (default: ${DEFAULT-VALUE}).")
  int bulkConcurrency;

  @Option(
      names = "--bulk-retries",
      defaultValue = "5",
      description =
          "Retries of a _bulk request or its items on 429/5xx (default: ${DEFAULT-VALUE}).")
  int bulkRetries;

  @Option(
      names = "--opensearch-timeout",
      defaultValue = "60",
      description = "Response timeout of every OpenSearch call, s (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--opensearch-user",
      paramLabel = "USER",
      description = "Basic-auth user (default: env OPENSEARCH_USERNAME; none when unset).")
  String user;

  @Option(
      names = "--opensearch-password-file",
      paramLabel = "FILE",
      description =
          "File holding the basic-auth password (a mounted secret); default: env"
              + " OPENSEARCH_PASSWORD. Never given as an argument.")
  Path passwordFile;

  @Option(
      names = "--opensearch-truststore",
      paramLabel = "FILE",
      description =
          "CA certificates to trust for https hosts: PEM (.pem/.crt/.cer) or PKCS12/JKS"
              + " (default: the JVM's).")
  Path trustStore;

  @Option(
      names = "--opensearch-truststore-password-file",
      paramLabel = "FILE",
      description = "File holding the PKCS12/JKS trust store's password.")
  Path trustStorePasswordFile;

  /** Environment variable of the user name. */
  static final String USER_ENV = "OPENSEARCH_USERNAME";

  /** Environment variable of the password. */
  static final String PASSWORD_ENV = "OPENSEARCH_PASSWORD";

  /** The environment the secrets come from (tests replace it). */
  Map<String, String> env = System.getenv();

  /** Basic auth and trust store from the options, env variables and secret files. */
  ClusterSecurity security() {
    String u = user != null ? user : env.get(USER_ENV);
    Secret password = null;
    if (u != null && !u.isEmpty()) {
      password =
          passwordFile != null ? Secret.fromFile(passwordFile) : Secret.fromEnv(PASSWORD_ENV, env);
    } else if (passwordFile != null) {
      throw new IllegalArgumentException(
          "--opensearch-password-file needs --opensearch-user (or env " + USER_ENV + ")");
    } else {
      u = null;
    }
    if (trustStore != null && !Files.isRegularFile(trustStore)) {
      throw new IllegalArgumentException("--opensearch-truststore: no such file " + trustStore);
    }
    Secret storePassword =
        trustStorePasswordFile == null ? null : Secret.fromFile(trustStorePasswordFile);
    return new ClusterSecurity(u, password, trustStore, storePassword);
  }

  /** The chosen backend, validated. */
  Backend kind() {
    return switch (backend.toLowerCase(Locale.ROOT)) {
      case "lucene" -> Backend.LUCENE;
      case "opensearch" -> Backend.OPENSEARCH;
      default ->
          throw new IllegalArgumentException(
              "--backend must be lucene or opensearch; got '" + backend + "'");
    };
  }

  /** Whether {@code --replication} chose segment replication (validated). */
  boolean segmentReplication() {
    return switch (replication.toLowerCase(Locale.ROOT)) {
      case "segment" -> true;
      case "document" -> false;
      default ->
          throw new IllegalArgumentException(
              "--replication must be segment or document; got '" + replication + "'");
    };
  }

  /** Checks the backend options (fails fast, naming the option and the accepted values). */
  void validate(int keepGenerations) {
    if (kind() == Backend.OPENSEARCH) {
      openSearchTarget(keepGenerations);
    }
  }

  /** The backends. */
  enum Backend {
    LUCENE,
    OPENSEARCH
  }

  /**
   * The OpenSearch settings as typed records.
   *
   * @param connection how to reach the cluster
   * @param layout alias, shards, replicas, generations kept
   * @param bulk how documents are sent
   */
  record OpenSearchTarget(ConnectionConfig connection, IndexLayout layout, BulkConfig bulk) {}

  OpenSearchTarget openSearchTarget(int keepGenerations) {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException(
          "--backend opensearch needs --opensearch-url http(s)://host:port");
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--opensearch-timeout must be >= 1 s; got " + timeoutSeconds);
    }
    return new OpenSearchTarget(
        new ConnectionConfig(
            new ArrayList<>(urls),
            Duration.ofSeconds(5),
            Duration.ofSeconds(timeoutSeconds),
            security()),
        new IndexLayout(alias, shards, replicas, segmentReplication(), keepGenerations),
        new BulkConfig(
            bulkSize,
            bulkConcurrency,
            bulkRetries,
            BulkConfig.DEFAULT.initialBackoff(),
            BulkConfig.DEFAULT.maxBackoff()));
  }

  /**
   * A connection to the cluster and the generations of {@code --alias}, for the commands that only
   * read a generation ({@code verify}, {@code stats}).
   */
  record Cluster(EngineClient client, Generations generations, String alias)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * Connects to the cluster for reading (same URLs, timeout and secrets as {@code build}).
   *
   * @throws IllegalArgumentException on missing or bad OpenSearch options, naming the option
   */
  Cluster connect() {
    OpenSearchTarget target = openSearchTarget(1);
    EngineClient client = EngineClient.connect(target.connection());
    return new Cluster(client, new Generations(client, target.layout()), target.layout().alias());
  }

  /**
   * Whether {@code options} choose OpenSearch, for a read-only command: a bad {@code --backend}
   * becomes a usage error of {@code spec}'s command.
   */
  static boolean openSearch(BackendOptions options, CommandSpec spec) {
    try {
      return options.kind() == Backend.OPENSEARCH;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** {@link #connect()}, bad options becoming a usage error of {@code spec}'s command. */
  static Cluster connect(BackendOptions options, CommandSpec spec) {
    try {
      return options.connect();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** A store and what it holds open. */
  interface OpenStore extends AutoCloseable {
    GenerationStore store();

    @Override
    void close();
  }

  /** Opens the store of the chosen backend for a job run with {@code config}. */
  OpenStore open(JobConfig config) {
    return open(config.indexRoot(), config.forceMerge(), config.keepGenerations(), false);
  }

  /**
   * Opens the store a copy of the published generation is written to ({@code calibrate}): on
   * OpenSearch the copy keeps the published generation's shards, replicas and replication type
   * ({@link Generations#layoutOf}), whatever {@code --shards} and {@code --replicas} say.
   *
   * @param indexRoot the embedded index root (unused with OpenSearch)
   * @param keep generations kept when pruning
   */
  OpenStore openForCopy(Path indexRoot, int keep) {
    return open(indexRoot, false, keep, true);
  }

  private OpenStore open(Path indexRoot, boolean forceMerge, int keep, boolean publishedLayout) {
    if (kind() == Backend.LUCENE) {
      GenerationStore lucene = new LuceneGenerationStore(indexRoot, forceMerge);
      return new OpenStore() {
        @Override
        public GenerationStore store() {
          return lucene;
        }

        @Override
        public void close() {}
      };
    }
    OpenSearchTarget target = openSearchTarget(keep);
    EngineClient client = EngineClient.connect(target.connection());
    IndexLayout layout = target.layout();
    try {
      if (publishedLayout) {
        Generations gens = new Generations(client, layout);
        layout = gens.current().map(gens::layoutOf).orElse(layout);
      }
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    String where =
        target.connection().hosts().stream()
            .map(u -> u.getScheme() + "://" + u.getHost() + ":" + u.getPort())
            .collect(Collectors.joining(","));
    GenerationStore os = new OpenSearchGenerationStore(client, layout, target.bulk(), where);
    return new OpenStore() {
      @Override
      public GenerationStore store() {
        return os;
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
