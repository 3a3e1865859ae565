package dev.shopsearch.indexer.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.indexer.cli.IndexerCli;
import dev.shopsearch.indexer.testing.TestImages;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.EngineException;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchBackend;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code indexer build|update --backend opensearch} against a real 2-node cluster (forked from
 * Maven Central jars, one for the class), with a real tiny CLIP bundle and JPEGs: a build in a
 * child JVM killed with SIGKILL mid-bulk leaves the alias on the old generation, a rerun completes
 * with the counts of a clean build, an update writes only the changed products, and {@code verify}
 * and {@code stats} read the published generation (verify fails with exit 3 naming the damage).
 */
@Tag("slow")
class OpenSearchIndexerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OLD = 150;
  private static final int FULL = 1500;

  private static Path work;
  private static OpenSearchCluster cluster;
  private static EngineClient client;
  private static Path bundle;
  private static Path catalogDir;

  @BeforeAll
  static void startCluster() throws Exception {
    work = Files.createTempDirectory("opensearch-indexer-test");
    try {
      cluster = OpenSearchCluster.start(ClusterConfig.defaults(2, work.resolve("cluster")));
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    client =
        EngineClient.connect(
            new ConnectionConfig(
                cluster.httpUris(), Duration.ofSeconds(5), Duration.ofSeconds(60)));
    bundle = TinyClipBundle.create(work.resolve("bundle"), 7).dir();
    catalogDir = work.resolve("catalog");
    Files.createDirectories(catalogDir.resolve("images"));
    Random rnd = new Random(5);
    for (int i = 0; i < FULL; i++) {
      Files.write(catalogDir.resolve("images/p" + i + ".jpg"), TestImages.jpeg(rnd, 24, 24));
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void killMinusNineMidBulkLeavesTheAliasAndARerunEqualsACleanBuild() throws Exception {
    Path small = writeCatalog("small.jsonl", ids(0, OLD), Map.of());
    Path full = writeCatalog("full.jsonl", ids(0, FULL), Map.of());
    Run first = cli(job("build", small, "kill", "--no-cache"));
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(aliasTarget("kill")).isEqualTo("kill-gen-000001");

    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    args.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "--add-modules",
            "jdk.incubator.vector",
            "-Dai.djl.offline=true",
            IndexerCli.class.getName()));
    // one image per encoder call, 10 documents per _bulk, one in flight: many small bulks
    args.addAll(
        List.of(
            job(
                "build",
                full,
                "kill",
                "--no-cache",
                "--threads",
                "1",
                "--batch-size",
                "1",
                "--bulk-size",
                "10",
                "--bulk-concurrency",
                "1")));
    ProcessBuilder pb = new ProcessBuilder(args);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolve("child.log").toFile());
    Process child = pb.start();
    long written = 0;
    try {
      // kill once at least one bulk landed in the new generation and the child is still writing
      while (child.isAlive() && (written = indexed("kill-gen-000002")) < 10) {
        Thread.sleep(50);
      }
      assertThat(child.isAlive())
          .as("the child must still be running when killed; log: %s", log())
          .isTrue();
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(written).isBetween(10L, FULL - 1L);

    // the alias did not move; queries still see the old generation only
    assertThat(aliasTarget("kill")).isEqualTo("kill-gen-000001");
    assertThat(count("kill")).isEqualTo(OLD);
    client.call("POST", "/kill-gen-000002/_refresh", null);
    new Generations(client, new IndexLayout("kill", 2, 1, true, 2))
        .awaitCopiesCaughtUp("kill-gen-000002");
    assertThat(count("kill-gen-000002")).isBetween(10L, FULL - 1L);

    // the rerun deletes the dead run's leftover and publishes the full catalog
    Run rerun = cli(job("build", full, "kill", "--no-cache"));
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    JsonNode r = JSON.readTree(rerun.out());
    assertThat(r.get("published").asBoolean()).isTrue();
    assertThat(r.get("generation").asLong()).isEqualTo(3);
    assertThat(aliasTarget("kill")).isEqualTo("kill-gen-000003");
    assertThat(client.exists("/kill-gen-000002")).isFalse();

    Run clean = cli(job("build", full, "clean", "--no-cache"));
    assertThat(clean.exit()).as(clean.err()).isZero();
    assertThat(count("kill")).isEqualTo(FULL).isEqualTo(count("clean"));
    assertThat(images("kill")).isEqualTo(FULL).isEqualTo(images("clean"));
    assertThat(r.get("totalProducts").asLong()).isEqualTo(FULL);
    assertThat(hashes("kill")).isEqualTo(hashes("clean"));
    // _meta: model and schema of the published generation
    JsonNode meta =
        client.call("GET", "/kill-gen-000003/_mapping", null).at("/kill-gen-000003/mappings/_meta");
    assertThat(meta.path("shopsearch.generation").asText()).isEqualTo("3");
    assertThat(meta.path("shopsearch.products").asText()).isEqualTo(Integer.toString(FULL));
  }

  @Test
  void updateWritesOnlyTheChangedProductsAndDeletesTheRemovedOnes() throws Exception {
    List<String> ids = ids(0, 60);
    Path v1 = writeCatalog("upd-v1.jsonl", ids, Map.of());
    Run build = cli(job("build", v1, "upd"));
    assertThat(build.exit()).as(build.err()).isZero();
    // the text tower ran: every product carries its text vector (the semantic list)
    JsonNode built = JSON.readTree(build.out());
    assertThat(built.get("textsEncoded").asLong()).isPositive();
    Map<String, JsonNode> before = documents("upd");
    int dim =
        client
            .call("GET", "/upd-gen-000001/_mapping", null)
            .at("/upd-gen-000001/mappings/properties/text_vector/dimension")
            .asInt();
    assertThat(dim).isPositive();
    assertThat(before.values())
        .hasSize(60)
        .allSatisfy(d -> assertThat(d.at("/_source/text_vector").size()).isEqualTo(dim));

    List<String> next = new ArrayList<>(ids);
    next.removeAll(List.of("p10", "p11"));
    next.add("p60");
    Path v2 =
        writeCatalog("upd-v2.jsonl", next, Map.of("p1", "renamed", "p2", "renamed", "p3", "new"));
    Run update = cli(job("update", v2, "upd"));
    assertThat(update.exit()).as(update.err()).isZero();
    JsonNode u = JSON.readTree(update.out());
    assertThat(u.get("published").asBoolean()).isTrue();
    assertThat(u.get("generation").asLong()).isEqualTo(2);
    assertThat(u.get("productsIndexed").asLong()).isEqualTo(4);
    assertThat(u.get("productsUnchanged").asLong()).isEqualTo(55);
    assertThat(u.get("productsDeleted").asLong()).isEqualTo(2);
    assertThat(u.get("imagesEncoded").asLong()).isEqualTo(1); // p60; the renamed hit the cache
    // three new texts (p1, p2, p3) encoded; p60's text is p0's: from the text-vector cache
    assertThat(u.get("textsEncoded").asLong()).isEqualTo(3);
    assertThat(u.get("textCacheHits").asLong()).isEqualTo(1);
    assertThat(u.get("totalProducts").asLong()).isEqualTo(59);

    assertThat(aliasTarget("upd")).isEqualTo("upd-gen-000002");
    assertThat(count("upd")).isEqualTo(59);
    Map<String, JsonNode> docs = documents("upd");
    assertThat(docs).doesNotContainKeys("p10", "p11").containsKey("p60");
    assertThat(docs.get("p1").path("_source").path("name").asText()).isEqualTo("renamed");
    assertThat(docs.get("p1").at("/_source/text_vector"))
        .as("a renamed product's text vector is re-encoded")
        .isNotEqualTo(before.get("p1").at("/_source/text_vector"));
    assertThat(docs.get("p60").at("/_source/text_vector"))
        .isEqualTo(before.get("p0").at("/_source/text_vector"));
    assertThat(docs.get("p59").at("/_source/text_vector"))
        .as("an unchanged product keeps its text vector through the copy")
        .isEqualTo(before.get("p59").at("/_source/text_vector"));
    assertThat(docs.values())
        .allSatisfy(d -> assertThat(d.at("/_source/text_vector").size()).isEqualTo(dim));
    // the generation started as a server-side copy (version 1); only the changed were written
    Set<String> rewritten =
        docs.entrySet().stream()
            .filter(e -> e.getValue().path("_version").asLong() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(rewritten).containsExactlyInAnyOrder("p1", "p2", "p3");
    // a _clone of the published generation (same shape): only the four changed products were
    // indexed into it, the 55 unchanged ones kept their segments and graphs
    assertThat(indexed("upd-gen-000002")).isEqualTo(4);
    assertThat(
            client
                .call("GET", "/upd-gen-000001/_settings", null)
                .at("/upd-gen-000001/settings/index/blocks/write")
                .asText())
        .as("the cloned generation is write-blocked")
        .isEqualTo("true");

    Run none = cli(job("update", v2, "upd"));
    assertThat(none.exit()).as(none.err()).isZero();
    assertThat(JSON.readTree(none.out()).get("published").asBoolean()).isFalse();
    assertThat(aliasTarget("upd")).isEqualTo("upd-gen-000002");
    assertThat(client.exists("/upd-gen-000003")).as("the unpublished copy is deleted").isFalse();

    // another shard count cannot be cloned: the copy is re-indexed into the new shape
    Path v3 =
        writeCatalog("upd-v3.jsonl", next, Map.of("p1", "renamed", "p2", "renamed", "p4", "x"));
    String[] reshard = job("update", v3, "upd");
    for (int i = 0; i < reshard.length - 1; i++) {
      if (reshard[i].equals("--shards")) {
        reshard[i + 1] = "1";
      }
    }
    Run resharded = cli(reshard);
    assertThat(resharded.exit()).as(resharded.err()).isZero();
    String gen = aliasTarget("upd");
    assertThat(gen).isNotEqualTo("upd-gen-000002");
    assertThat(count("upd")).isEqualTo(59);
    assertThat(
            client
                .call("GET", "/" + gen + "/_settings", null)
                .at("/" + gen + "/settings/index/number_of_shards")
                .asText())
        .isEqualTo("1");
    assertThat(indexed(gen)).as("re-indexed: every product written").isGreaterThanOrEqualTo(59);
    assertThat(documents("upd").get("p4").at("/_source/name").asText()).isEqualTo("x");
  }

  /**
   * {@code calibrate --backend opensearch}: the same judged queries and, list by list, the same
   * quality as on the embedded backend built from the same catalog and model; publishing copies the
   * generation with the settings in its {@code _meta} (same shards, the alias moved, counts kept),
   * which the service's backend reads and a later update keeps.
   */
  @Test
  void calibrateOnOpenSearchMatchesTheEmbeddedCalibrationAndPublishesACopy() throws Exception {
    Path catalog = brandCatalog("cal.jsonl");
    Run build = cli(job("build", catalog, "cal", "--no-cache"));
    assertThat(build.exit()).as(build.err()).isZero();
    Path embedded = work.resolve("embedded-cal");
    Run local =
        cli(
            "build",
            "--index",
            embedded.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--no-cache");
    assertThat(local.exit()).as(local.err()).isZero();

    Run dry = cli(readOnly("calibrate", "cal", "--bundle", bundle.toString(), "--dry-run"));
    assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
    JsonNode os = JSON.readTree(dry.out());
    assertThat(os.get("backend").asText()).isEqualTo("opensearch");
    assertThat(os.get("published").asBoolean()).isFalse();
    Run lucene =
        cli(
            "calibrate",
            "--index",
            embedded.toString(),
            "--bundle",
            bundle.toString(),
            "--dry-run");
    assertThat(lucene.exit()).as(lucene.out() + lucene.err()).isZero();
    JsonNode osReport = os.get("report");
    JsonNode luceneReport = JSON.readTree(lucene.out()).get("report");
    // the same queries on both halves (made from the same products, split by product id / text)
    assertThat(osReport.get("queries")).isEqualTo(luceneReport.get("queries"));
    assertThat(osReport.get("queries").get("heldOut").asInt()).isGreaterThan(20);
    assertThat(osReport.get("chosenOn").asText()).isEqualTo("semantic-masked-on-names");
    // each single list ranks alike on both backends (BM25 ties may come in another order)
    for (String half : List.of("calibration", "heldOut")) {
      for (String list : List.of("lexical", "vector", "semantic")) {
        assertThat(variant(osReport.get(half), list).get("ndcg").asDouble())
            .as(half + " " + list + ": " + osReport.get(half) + " vs " + luceneReport.get(half))
            .isCloseTo(variant(luceneReport.get(half), list).get("ndcg").asDouble(), within(0.03));
      }
    }
    // the names and categories say what a product is, the random-weight model does not
    JsonNode chosen = osReport.get("chosen");
    assertThat(chosen.get("lexicalWeight").asDouble())
        .as(osReport.toString())
        .isGreaterThan(chosen.get("vectorWeight").asDouble());
    String chosenVariant =
        chosen.get("strategy").asText().equals("RRF") ? "calibrated-rrf" : "calibrated-score";
    JsonNode calibrationHalf = osReport.get("calibration");
    assertThat(variant(calibrationHalf, chosenVariant).get("ndcg").asDouble())
        .isGreaterThanOrEqualTo(variant(calibrationHalf, "lexical").get("ndcg").asDouble());
    assertThat(aliasTarget("cal")).isEqualTo("cal-gen-000001");

    // publish: a copy with the settings in _meta, the shards of the build (2, not the default 1)
    Run run = cli(readOnly("calibrate", "cal", "--bundle", bundle.toString()));
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    JsonNode published = JSON.readTree(run.out());
    assertThat(published.get("publishedGeneration").asLong()).isEqualTo(2);
    assertThat(aliasTarget("cal")).isEqualTo("cal-gen-000002");
    assertThat(count("cal")).isEqualTo(120);
    assertThat(images("cal")).isEqualTo(120);
    assertThat(indexed("cal-gen-000002")).as("a clone: nothing re-indexed").isZero();
    JsonNode settings = client.call("GET", "/cal-gen-000002/_settings", null);
    assertThat(settings.at("/cal-gen-000002/settings/index/number_of_shards").asText())
        .isEqualTo("2");
    JsonNode pChosen = published.get("report").get("chosen");
    JsonNode meta =
        client.call("GET", "/cal-gen-000002/_mapping", null).at("/cal-gen-000002/mappings/_meta");
    assertThat(meta.get("shopsearch.fusion.weight.lexical").asDouble())
        .isEqualTo(pChosen.get("lexicalWeight").asDouble());
    assertThat(meta.get("shopsearch.fusion.weight.semantic").asDouble())
        .isEqualTo(pChosen.get("semanticWeight").asDouble());
    assertThat(meta.get("shopsearch.generation").asText()).isEqualTo("2");
    // the service's backend serves it with the settings
    Generations gens = new Generations(client, new IndexLayout("cal", 2, 1, true, 3));
    FusionSettings served;
    try (ProductIndexView view = new OpenSearchBackend(client, gens, m -> {}).acquire()) {
      served = view.metadata().fusion();
      assertThat(view.generation()).isEqualTo(2);
    }
    assertThat(served).isNotNull();
    assertThat(served.lexicalWeight()).isEqualTo(pChosen.get("lexicalWeight").asDouble());
    assertThat(served.strategy().name()).isEqualTo(pChosen.get("strategy").asText());

    // an update (one price changed) keeps them
    Path changed = catalogDir.resolve("cal2.jsonl");
    Files.writeString(changed, Files.readString(catalog).replace("\"price\":10,", "\"price\":11,"));
    Run update = cli(job("update", changed, "cal", "--no-cache"));
    assertThat(update.exit()).as(update.err()).isZero();
    assertThat(aliasTarget("cal")).isEqualTo("cal-gen-000003");
    assertThat(gens.metadata("cal-gen-000003").fusion()).isEqualTo(served);

    // another model's bundle is refused by the model guard, naming the mismatch
    Path other = TinyClipBundle.create(work.resolve("other-bundle-cal"), 8).dir();
    Run wrong = cli(readOnly("calibrate", "cal", "--bundle", other.toString(), "--dry-run"));
    assertThat(wrong.exit()).as(wrong.out() + wrong.err()).isNotZero();
    assertThat(wrong.err()).containsIgnoringCase("model");
    assertThat(aliasTarget("cal")).isEqualTo("cal-gen-000003");
  }

  private static JsonNode variant(JsonNode scores, String name) {
    for (JsonNode s : scores) {
      if (s.get("variant").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no variant " + name + " in " + scores);
  }

  /**
   * 120 products (4 brands × 5 types × 6 colours) whose names and categories say what each is, as
   * in {@code CalibrateCommandTest}; product pN shows images/pN.jpg.
   */
  private static Path brandCatalog(String name) throws Exception {
    String[] colours = {"red", "blue", "green", "black", "white", "yellow"};
    String[] types = {"shirt", "dress", "jacket", "sneakers", "handbag"};
    String[] brands = {"Acme", "Borealis", "Corvid", "Dunmore"};
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String brand : brands) {
      for (String type : types) {
        for (String colour : colours) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  "{\"id\":\"p%d\",\"name\":\"%s %s %s\",\"description\":\"a %s %s\","
                      + "\"categories\":[\"%s / %s\"],\"color\":\"%s\",\"price\":%d,"
                      + "\"images\":[\"images/p%d.jpg\"]}",
                  n,
                  brand,
                  colour,
                  type,
                  colour,
                  type,
                  type.equals("dress") || type.equals("handbag") ? "Women" : "Men",
                  type,
                  colour,
                  10 + n,
                  n));
          n++;
        }
      }
    }
    Path file = catalogDir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void verifyAndStatsReadThePublishedGenerationAndVerifyNamesTheDamage() throws Exception {
    Path catalog = writeCatalog("ver.jsonl", ids(0, 200), Map.of());
    Run build = cli(job("build", catalog, "ver", "--no-cache"));
    assertThat(build.exit()).as(build.err()).isZero();

    Run verify = cli(readOnly("verify", "ver", "--bundle", bundle.toString()));
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    JsonNode v = JSON.readTree(verify.out());
    assertThat(v.get("passed").asBoolean()).isTrue();
    assertThat(v.get("generation").asText()).isEqualTo("ver-gen-000001");
    assertThat(v.get("products").asLong()).isEqualTo(200);
    assertThat(v.get("images").asLong()).isEqualTo(200);
    assertThat(v.get("window").asInt()).isEqualTo(100);
    assertThat(v.get("recall").asDouble()).isGreaterThanOrEqualTo(0.9);
    assertThat(v.get("checkIndexRan").asBoolean()).isFalse();

    Run stats = cli(readOnly("stats", "ver"));
    assertThat(stats.exit()).as(stats.err()).isZero();
    JsonNode s = JSON.readTree(stats.out());
    assertThat(s.get("current").asText()).isEqualTo("ver-gen-000001");
    assertThat(s.get("products").asLong()).isEqualTo(200);
    assertThat(s.get("images").asLong()).isEqualTo(200);
    assertThat(s.get("bytes").asLong()).isPositive();
    assertThat(s.get("totalBytes").asLong()).isGreaterThanOrEqualTo(s.get("bytes").asLong());
    assertThat(s.at("/metadata/shopsearch.products").asText()).isEqualTo("200");
    assertThat(s.get("generations")).hasSize(1);

    // int7: the service's kNN rescores the widened window at full precision (KnnRescore)
    Run int7 = cli(job("build", catalog, "ver7", "--no-cache", "--vector-format", "int7"));
    assertThat(int7.exit()).as(int7.err()).isZero();
    Run verify7 = cli(readOnly("verify", "ver7"));
    assertThat(verify7.exit()).as(verify7.out() + verify7.err()).isZero();
    JsonNode v7 = JSON.readTree(verify7.out());
    assertThat(v7.get("recall").asDouble()).isGreaterThanOrEqualTo(0.9);

    // a replica that two nodes cannot place: health yellow is a warning, not a failure
    ObjectNode replicas = JSON.createObjectNode();
    replicas.putObject("index").put("number_of_replicas", 2);
    client.call("PUT", "/ver-gen-000001/_settings", replicas);
    Run yellow = cli(readOnly("verify", "ver"));
    assertThat(yellow.exit()).as(yellow.out() + yellow.err()).isZero();
    JsonNode y = JSON.readTree(yellow.out());
    assertThat(y.get("passed").asBoolean()).isTrue();
    assertThat(y.get("warnings").toString()).contains("health of ver-gen-000001 is yellow");
    assertThat(JSON.readTree(cli(readOnly("stats", "ver")).out()).get("health").asText())
        .isEqualTo("yellow");
    replicas.putObject("index").put("number_of_replicas", 1);
    client.call("PUT", "/ver-gen-000001/_settings", replicas);

    // a bundle of another model
    Path other = TinyClipBundle.create(work.resolve("other-bundle"), 8).dir();
    Run wrong = cli(readOnly("verify", "ver", "--bundle", other.toString()));
    assertThat(wrong.exit()).as(wrong.out() + wrong.err()).isEqualTo(IndexerCli.EXIT_VERIFY);
    assertThat(JSON.readTree(wrong.out()).get("problems").toString())
        .contains("the bundle does not match ver-gen-000001");

    // three products deleted behind the indexer's back: the counts differ from _meta
    ObjectNode q = JSON.createObjectNode();
    q.putObject("query").putObject("terms").putArray("product_id").add("p1").add("p2").add("p3");
    client.call("POST", "/ver-gen-000001/_delete_by_query?refresh=true", q);
    // the replicas copy segments: read once every copy holds the deletes (as after a build)
    client.call("GET", "/_cluster/health/ver-gen-000001?wait_for_status=green&timeout=60s", null);
    new Generations(client, new IndexLayout("ver", 2, 1, true, 2))
        .awaitCopiesCaughtUp("ver-gen-000001");
    Run damaged = cli(readOnly("verify", "ver"));
    assertThat(damaged.exit()).as(damaged.out() + damaged.err()).isEqualTo(IndexerCli.EXIT_VERIFY);
    JsonNode d = JSON.readTree(damaged.out());
    assertThat(d.get("passed").asBoolean()).isFalse();
    assertThat(d.get("problems").toString())
        .contains("holds 197 products / 197 images; its _meta says 200 / 200");
  }

  /**
   * The audit reads every image and text vector back from the cluster: rows equal to the embedded
   * audit's, under segment replication (the vectors stored in {@code _source}) and under document
   * replication, where the k-NN plugin's derived source leaves them out of the stored {@code
   * _source} and rebuilds them from the vector files.
   */
  @Test
  void auditOfAnOpenSearchGenerationEqualsTheEmbeddedAuditOfTheSameCatalog() throws Exception {
    Path catalog = writeCatalog("aud.jsonl", ids(0, 60), Map.of());
    Run build = cli(job("build", catalog, "aud", "--no-cache"));
    assertThat(build.exit()).as(build.err()).isZero();
    Run documentBuild =
        cli(job("build", catalog, "audd", "--no-cache", "--replication", "document"));
    assertThat(documentBuild.exit()).as(documentBuild.err()).isZero();
    assertThat(replicationType("aud-gen-000001")).isEqualTo("SEGMENT");
    assertThat(replicationType("audd-gen-000001")).isEqualTo("DOCUMENT");
    // k-NN masks the vectors in the stored _source only under document replication (it turns
    // derived source off under segment replication), and says so in each segment's attributes
    assertThat(derivedVectorFields("aud-gen-000001")).containsOnly(Set.of());
    assertThat(derivedVectorFields("audd-gen-000001"))
        .containsOnly(Set.of("images.vector", "text_vector"));
    long segmentFdt = storedFieldBytes("aud-gen-000001");
    long documentFdt = storedFieldBytes("audd-gen-000001");
    assertThat(documentFdt)
        .as("stored fields without the vectors' JSON (segment replication: %d bytes)", segmentFdt)
        .isLessThan(segmentFdt * 3 / 4);
    Path embedded = work.resolve("aud-embedded");
    Run local =
        cli(
            "build",
            "--index",
            embedded.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--no-cache");
    assertThat(local.exit()).as(local.err()).isZero();

    Path osRows = work.resolve("aud-opensearch.jsonl");
    Path luceneRows = work.resolve("aud-lucene.jsonl");
    Run os =
        cli(
            readOnly(
                "audit",
                "aud",
                "--bundle",
                bundle.toString(),
                "--threshold",
                "p50",
                "--out",
                osRows.toString()));
    assertThat(os.exit()).as(os.out() + os.err()).isZero();
    Run lucene =
        cli(
            "audit",
            "--index",
            embedded.toString(),
            "--bundle",
            bundle.toString(),
            "--threshold",
            "p50",
            "--out",
            luceneRows.toString());
    assertThat(lucene.exit()).as(lucene.out() + lucene.err()).isZero();
    Path documentRows = work.resolve("aud-opensearch-document.jsonl");
    Run doc =
        cli(
            readOnly(
                "audit",
                "audd",
                "--bundle",
                bundle.toString(),
                "--threshold",
                "p50",
                "--out",
                documentRows.toString()));
    assertThat(doc.exit()).as(doc.out() + doc.err()).isZero();
    JsonNode o = JSON.readTree(os.out());
    JsonNode l = JSON.readTree(lucene.out());
    JsonNode dr = JSON.readTree(doc.out());
    assertThat(o.get("generation").asText()).isEqualTo("aud-gen-000001");
    assertThat(dr.get("generation").asText()).isEqualTo("audd-gen-000001");
    for (JsonNode r : List.of(o, l, dr)) {
      assertThat(r.get("products").asLong()).isEqualTo(60);
      assertThat(r.get("images").asLong()).isEqualTo(60);
      assertThat(r.get("productsWithoutText").asLong()).isZero();
      // strictly below the 30th of 60 distinct scores
      assertThat(r.get("flaggedImages").asLong()).isEqualTo(29);
      assertThat(r.get("flaggedProducts").asLong()).isEqualTo(29);
    }
    assertThat(o.get("cutoff").asDouble()).isCloseTo(l.get("cutoff").asDouble(), within(1e-5));

    // the same bundle encodes the same texts and images: the same rows in the same order
    List<String> luceneLines = Files.readAllLines(luceneRows);
    for (Path rows : List.of(osRows, documentRows)) {
      List<String> osLines = Files.readAllLines(rows);
      assertThat(osLines).hasSize(60).hasSameSizeAs(luceneLines);
      for (int i = 0; i < osLines.size(); i++) {
        JsonNode a = JSON.readTree(osLines.get(i));
        JsonNode b = JSON.readTree(luceneLines.get(i));
        assertThat(a.get("id").asText()).as("%s row %d", rows, i).isEqualTo(b.get("id").asText());
        assertThat(a.get("image").asText())
            .as("%s row %d", rows, i)
            .isEqualTo(b.get("image").asText());
        assertThat(a.get("image").asText()).isEqualTo("images/" + a.get("id").asText() + ".jpg");
        assertThat(a.get("score").asDouble())
            .as("%s row %d", rows, i)
            .isCloseTo(b.get("score").asDouble(), within(1e-5));
      }
    }

    Run usage = cli("audit", "--backend", "lucene", "--bundle", bundle.toString());
    assertThat(usage.exit()).as(usage.err()).isEqualTo(IndexerCli.EXIT_USAGE);
    assertThat(usage.err()).contains("--index DIR is required with --backend lucene");

    Run none = cli(readOnly("audit", "aud-none", "--bundle", bundle.toString()));
    assertThat(none.exit()).as(none.out() + none.err()).isEqualTo(IndexerCli.EXIT_FAILURE);
    assertThat(none.err()).contains("no published generation: the alias aud-none names no index");

    // a bundle of another model: refused as the embedded audit refuses it
    Path other = TinyClipBundle.create(work.resolve("aud-other-bundle"), 8).dir();
    Run wrong = cli(readOnly("audit", "aud", "--bundle", other.toString()));
    Run wrongLocal = cli("audit", "--index", embedded.toString(), "--bundle", other.toString());
    for (Run r : List.of(wrong, wrongLocal)) {
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(IndexerCli.EXIT_FAILURE);
      assertThat(r.err()).contains("does not match index generation 1").contains("model hash");
    }
  }

  private static String replicationType(String index) {
    return client
        .call("GET", "/" + index + "/_settings", null)
        .at("/" + index + "/settings/index/replication/type")
        .asText();
  }

  /**
   * The vector fields k-NN's derived source masks, per segment of every shard copy (flat and
   * nested, from the segment attributes the plugin writes).
   */
  private static List<Set<String>> derivedVectorFields(String index) {
    List<Set<String>> out = new ArrayList<>();
    JsonNode shards =
        client.call("GET", "/" + index + "/_segments", null).at("/indices/" + index + "/shards");
    for (JsonNode copies : shards) {
      for (JsonNode copy : copies) {
        for (JsonNode segment : copy.path("segments")) {
          Set<String> fields = new HashSet<>();
          JsonNode attributes = segment.path("attributes");
          for (String key : List.of("derived_vector_fields", "nested_derived_vector_fields")) {
            if (attributes.hasNonNull(key)) {
              fields.addAll(List.of(attributes.get(key).asText().split(",")));
            }
          }
          out.add(fields);
        }
      }
    }
    assertThat(out).as("segments of %s", index).isNotEmpty();
    return out;
  }

  /** Bytes of the stored fields ({@code .fdt}) of {@code index}'s primaries. */
  private static long storedFieldBytes(String index) {
    return client
        .call("GET", "/" + index + "/_stats/segments?include_segment_file_sizes=true", null)
        .at("/_all/primaries/segments/file_sizes/fdt/size_in_bytes")
        .asLong();
  }

  /** A read-only command ({@code verify}, {@code stats}) against {@code alias}. */
  private static String[] readOnly(String command, String alias, String... extra) {
    String urls = cluster.httpUris().stream().map(URI::toString).collect(Collectors.joining(","));
    List<String> a =
        new ArrayList<>(
            List.of(
                command, "--backend", "opensearch", "--opensearch-url", urls, "--alias", alias));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String[] job(String command, Path catalog, String alias, String... extra) {
    String urls = cluster.httpUris().stream().map(URI::toString).collect(Collectors.joining(","));
    List<String> a =
        new ArrayList<>(
            List.of(
                command,
                "--index",
                work.resolve("local-" + alias).toString(),
                "--catalog",
                catalog.toString(),
                "--bundle",
                bundle.toString(),
                "--progress",
                "none",
                "--backend",
                "opensearch",
                "--opensearch-url",
                urls,
                "--alias",
                alias,
                "--shards",
                "2",
                "--replicas",
                "1",
                "--keep",
                "2"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static List<String> ids(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  /** A JSONL catalog of these products (id pN shows images/pN.jpg), names overridden by id. */
  private static Path writeCatalog(String name, List<String> ids, Map<String, String> names)
      throws Exception {
    String[] colours = {"red", "blue", "green", "black", "white"};
    List<String> lines = new ArrayList<>();
    for (String id : ids) {
      int i = Integer.parseInt(id.substring(1));
      String colour = colours[i % colours.length];
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"id\":\"%s\",\"name\":\"%s\",\"description\":\"%s cotton shirt\","
                  + "\"categories\":[\"Men / Tops\"],\"color\":\"%s\",\"price\":%d,"
                  + "\"images\":[\"images/%s.jpg\"]}",
              id,
              names.getOrDefault(id, colour + " shirt"),
              colour,
              colour,
              10 + i,
              id));
    }
    Path file = catalogDir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static String aliasTarget(String alias) {
    Iterator<String> names = client.call("GET", "/_alias/" + alias, null).fieldNames();
    return names.next();
  }

  private static long count(String target) {
    return client.call("GET", "/" + target + "/_count", null).path("count").asLong();
  }

  /** Documents indexed into {@code index} so far (0 while it does not exist). */
  private static long indexed(String index) {
    try {
      return client
          .call("GET", "/" + index + "/_stats/indexing", null)
          .at("/_all/primaries/indexing/index_total")
          .asLong();
    } catch (EngineException e) {
      if (e.status() == 404) {
        return 0;
      }
      throw e;
    }
  }

  private static long images(String target) {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", 0);
    body.putObject("aggs").putObject("i").putObject("nested").put("path", "images");
    return client
        .call("POST", "/" + target + "/_search", body)
        .at("/aggregations/i/doc_count")
        .asLong();
  }

  /** Every hit of {@code target} by product id, with {@code _version}. */
  private static Map<String, JsonNode> documents(String target) {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", 10_000);
    body.put("version", true);
    body.putArray("_source").add("product_id").add("name").add("content_hash").add("text_vector");
    Map<String, JsonNode> docs = new HashMap<>();
    for (JsonNode h : client.call("POST", "/" + target + "/_search", body).at("/hits/hits")) {
      docs.put(h.path("_id").asText(), h);
    }
    return docs;
  }

  private static Set<String> hashes(String target) {
    Set<String> out = new HashSet<>();
    documents(target)
        .forEach((id, h) -> out.add(id + "=" + h.at("/_source/content_hash").asText()));
    return out;
  }

  private static String log() {
    try {
      return Files.readString(work.resolve("child.log"));
    } catch (Exception e) {
      return "<no log: " + e + ">";
    }
  }
}
