package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks docker/: what every Dockerfile builds from, copies, runs as, and how compose wires it. */
class DockerfilesTest {
  private static final Path ROOT = ProjectFiles.root();
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final List<String> IMAGES =
      List.of("service", "service-cuda", "indexer", "trainer");

  @Test
  void thereIsADockerfilePerImage() throws IOException {
    List<String> names =
        ProjectFiles.files(DOCKER, ".Dockerfile").stream()
            .map(p -> p.getFileName().toString().replace(".Dockerfile", ""))
            .toList();
    assertThat(names).containsExactlyInAnyOrderElementsOf(IMAGES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "service-cuda", "indexer", "trainer"})
  void runsAsNonRootOnJdk25WithContainerFlagsAndDjlOffline(String image) throws IOException {
    Dockerfile d = Dockerfile.parse(DOCKER.resolve(image + ".Dockerfile"));
    assertThat(d.stages()).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(d.globalArgs().get("JDK_IMAGE")).contains(":25-");
    assertThat(d.globalArgs().get("JRE_IMAGE")).contains(":25-");
    List<String> users = d.finalStage("USER");
    assertThat(users).as("USER in the final stage").isNotEmpty();
    String user = users.getLast().split(":")[0];
    assertThat(user).matches("\\d+").isNotEqualTo("0");
    String env = String.join(" ", d.finalStage("ENV"));
    assertThat(env)
        .contains("OPT_OUT_TRACKING=true", "DJL_OFFLINE=true", "-Dai.djl.offline=true")
        .contains("-XX:MaxRAMPercentage=", "--enable-native-access=ALL-UNNAMED")
        .contains("--add-modules jdk.incubator.vector");
    String base = d.finalBase();
    if (!base.startsWith("eclipse-temurin:25")) {
      // Non-Temurin bases (CUDA) get the JDK 25 runtime copied in.
      assertThat(d.finalStage("COPY")).anyMatch(c -> c.contains("/opt/java/openjdk"));
      assertThat(d.anyStage("FROM")).anyMatch(f -> f.contains("${JRE_IMAGE} AS jre"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "service-cuda", "indexer", "trainer"})
  void buildsRealModulesFromFilesInTheContext(String image) throws IOException {
    Dockerfile d = Dockerfile.parse(DOCKER.resolve(image + ".Dockerfile"));
    DockerIgnore ignored = DockerIgnore.load(ROOT);
    List<String> pending = new ArrayList<>();
    for (String copy : d.anyStage("COPY")) {
      if (copy.startsWith("--from")) {
        continue;
      }
      String[] parts = copy.split("\\s+");
      for (String part : List.of(parts).subList(0, parts.length - 1)) {
        if (part.matches("(service|indexer|trainer)/src") && !Files.exists(ROOT.resolve(part))) {
          pending.add(part); // the module's sources have not landed on this branch yet
          continue;
        }
        assertThat(ROOT.resolve(part)).as("%s: COPY source %s", image, part).exists();
        assertThat(ignored.excludes(part))
            .as("%s: COPY source %s is not excluded by .dockerignore", image, part)
            .isFalse();
      }
    }
    String module = image.replace("-cuda", "");
    String run = String.join(" ", d.anyStage("RUN"));
    assertThat(ProjectFiles.modules()).contains(module);
    assertThat(run).contains("-pl " + module + " -am package");
    String artifact = ProjectFiles.artifactId(module);
    assertThat(run)
        .as("copies the jar the module build makes")
        .contains(module + "/target/" + artifact + "-*.jar");
    if (image.endsWith("-cuda")) {
      assertThat(run).contains("-Pcuda");
      assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<id>cuda</id>");
    }
    assumeTrue(pending.isEmpty(), image + ": sources not on this branch yet: " + pending);
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "service-cuda", "indexer", "trainer"})
  void copiesEveryModulePomBeforeMavenRuns(String image, @TempDir Path rootfs) throws Exception {
    Path file = DOCKER.resolve(image + ".Dockerfile");
    BuildStageReplay stage = new BuildStageReplay(ROOT, DockerIgnore.load(ROOT), rootfs);
    Set<String> copied = new HashSet<>();
    for (Dockerfile.Instruction i : Dockerfile.parse(file).mavenStage()) {
      if (i.keyword().equals("RUN") && i.args().contains("./mvnw")) {
        break;
      }
      if (i.keyword().equals("COPY")) {
        stage.plan(i.args()).forEach(c -> copied.add(c.target()));
      } else {
        stage.apply(i);
      }
    }
    // Maven reads every module's pom of the reactor, even for `-pl one -am`.
    List<String> modules = ProjectFiles.allModules();
    List<String> needed = new ArrayList<>(List.of("pom.xml", "mvnw"));
    modules.forEach(m -> needed.add(m + "/pom.xml"));
    List<String> missing =
        needed.stream()
            .filter(rel -> !copied.contains(Path.of(stage.workdir()).resolve(rel).toString()))
            .toList();
    assertThat(missing)
        .as(
            "%s: files not COPY'd into %s before the first ./mvnw run although the root pom's"
                + " modules are %s (Maven stops with \"Child module ... does not exist\");"
                + " add e.g. `COPY <module>/pom.xml <module>/`",
            file, stage.workdir(), modules)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "service-cuda"})
  void serviceImagesAreLayeredSpringBootJarsWithAHealthcheck(String image) throws IOException {
    ServiceConfig config = ServiceConfig.load();
    Dockerfile d = Dockerfile.parse(DOCKER.resolve(image + ".Dockerfile"));
    assertThat(String.join(" ", d.anyStage("RUN")))
        .contains("-Djarmode=tools -jar /src/application.jar extract --layers");
    assertThat(d.finalStage("COPY"))
        .anyMatch(c -> c.contains("extracted/dependencies/"))
        .anyMatch(c -> c.contains("extracted/application/"));
    assertThat(d.finalStage("ENTRYPOINT"))
        .containsExactly("[\"java\", \"-jar\", \"application.jar\"]");
    assertThat(d.finalStage("EXPOSE"))
        .containsExactly(config.serverPort() + " " + config.managementPort());
    assertThat(d.finalStage("HEALTHCHECK").getFirst())
        .contains("http://127.0.0.1:" + config.managementPort() + "/actuator/health/liveness");
    Path servicePom = ROOT.resolve("service/pom.xml");
    String pom = Files.readString(servicePom);
    if (pom.contains("spring-boot-maven-plugin")) {
      assertThat(pom)
          .as("service/pom.xml repackages a Spring Boot jar")
          .contains("<goal>repackage</goal>");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"indexer", "trainer"})
  void cliImagesRunTheModulesMainClass(String image) throws IOException {
    Dockerfile d = Dockerfile.parse(DOCKER.resolve(image + ".Dockerfile"));
    String entrypoint = d.finalStage("ENTRYPOINT").getLast();
    String mainClass =
        ProjectFiles.first(entrypoint, "\"(dev\\.shopsearch\\.[a-z]+\\.[A-Za-z0-9_.]+)\"");
    assertThat(mainClass).startsWith("dev.shopsearch." + image + ".");
    assertThat(entrypoint).contains("\"-cp\", \"/app/lib/*\"");
    List<String> mains = ProjectFiles.mainClasses(image);
    if (!mains.isEmpty()) {
      // Once the module has its CLI, the image must run it.
      assertThat(mains).as("main classes of %s", image).contains(mainClass);
    }
  }

  @Test
  void dockerignoreKeepsBuildOutputsAndVcsOut() throws IOException {
    assertThat(DockerIgnore.load(ROOT).patterns())
        .contains(".git", "**/target", "/data", "/demo-data");
  }

  @Test
  void composeRunsTheIndexerOnceBeforeTheServiceOnASharedVolume() throws IOException {
    Map<String, Object> compose = ProjectFiles.yaml(DOCKER.resolve("compose.yaml"));
    Map<String, Object> services = Yamls.map(compose.get("services"));
    assertThat(services).containsKeys("catalog", "indexer", "service");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Map<String, Object> s = Yamls.map(e.getValue());
      if (s.containsKey("profiles")) {
        continue; // an optional stack (composeOpenSearchProfile...)
      }
      String image = (String) s.get("image");
      assertThat(DOCKER.resolve(Yamls.imageName(image).replace("shopsearch/", "") + ".Dockerfile"))
          .as("%s image %s", e.getKey(), image)
          .isRegularFile();
      Object build = s.get("build");
      if (build != null) {
        Path context = DOCKER.resolve(Yamls.str(Yamls.map(build), "context")).normalize();
        assertThat(context).isEqualTo(ROOT);
        assertThat(context.resolve(Yamls.str(Yamls.map(build), "dockerfile"))).isRegularFile();
      }
      assertThat(Yamls.list(s.get("volumes")))
          .as("%s mounts the data volume", e.getKey())
          .anyMatch(v -> v.toString().startsWith("data:/data"));
      assertThat(String.valueOf(s.get("environment"))).contains("OPT_OUT_TRACKING=true");
    }
    assertThat(Yamls.str(Yamls.map(services.get("service")), "depends_on.indexer.condition"))
        .isEqualTo("service_completed_successfully");
    assertThat(Yamls.str(Yamls.map(services.get("indexer")), "depends_on.catalog.condition"))
        .isEqualTo("service_completed_successfully");
    assertThat(Yamls.list(Yamls.map(services.get("service")).get("volumes")))
        .contains("data:/data:ro");
    ServiceConfig config = ServiceConfig.load();
    assertThat(Yamls.list(Yamls.map(services.get("service")).get("ports")))
        .contains(config.serverPort() + ":" + config.serverPort());
    assertThat(String.valueOf(Yamls.get(Yamls.map(services.get("service")), "healthcheck.test")))
        .contains(":" + config.managementPort() + "/actuator/health/readiness");
    assertThat(Yamls.list(Yamls.map(services.get("service")).get("ports")))
        .as("the management port is published on the host's loopback only")
        .contains("127.0.0.1:" + config.managementPort() + ":" + config.managementPort());
    if (config.managementOnLoopback()) {
      // A published port reaches the container's interface, not its loopback.
      assertThat(
              Yamls.str(
                  Yamls.map(services.get("service")), "environment.MANAGEMENT_SERVER_ADDRESS"))
          .isEqualTo("0.0.0.0");
    }
    assertThat(Yamls.map(compose.get("volumes"))).containsKey("data");
  }

  @Test
  void composeOpenSearchProfileRunsTwoSecuredNodesTheIndexerAndAServiceReadingThem()
      throws IOException {
    Map<String, Object> compose = ProjectFiles.yaml(DOCKER.resolve("compose.yaml"));
    Map<String, Object> services = Yamls.map(compose.get("services"));
    List<String> nodes = new ArrayList<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Map<String, Object> s = Yamls.map(e.getValue());
      String image = String.valueOf(s.get("image"));
      if (image.startsWith("opensearchproject/opensearch:")) {
        nodes.add(e.getKey());
        assertThat(Yamls.list(s.get("profiles"))).as(e.getKey()).containsExactly("opensearch");
        assertThat(Yamls.imageTag(image))
            .as("%s: official 3.x image, pinned", e.getKey())
            .startsWith("3.");
        Map<String, Object> env = Yamls.map(s.get("environment"));
        assertThat(env)
            .as("%s: the security plugin stays on", e.getKey())
            .doesNotContainKeys("plugins.security.disabled", "DISABLE_SECURITY_PLUGIN");
        assertThat(String.valueOf(env.get("OPENSEARCH_INITIAL_ADMIN_PASSWORD")))
            .as("%s: admin password from the environment, no default committed", e.getKey())
            .startsWith("${OPENSEARCH_ADMIN_PASSWORD:?");
        assertThat(String.valueOf(env.get("discovery.seed_hosts")).split(","))
            .containsExactlyInAnyOrder("opensearch-node1", "opensearch-node2");
      }
    }
    assertThat(nodes).containsExactlyInAnyOrder("opensearch-node1", "opensearch-node2");

    Map<String, Object> indexer = Yamls.map(services.get("indexer-opensearch"));
    List<String> args = Yamls.list(indexer.get("command")).stream().map(String::valueOf).toList();
    assertThat(args).startsWith("build").contains("--backend", "opensearch");
    String urls = args.get(args.indexOf("--opensearch-url") + 1);
    for (String node : nodes) {
      assertThat(urls).contains("https://" + node + ":9200");
      assertThat(Yamls.str(indexer, "depends_on." + node + ".condition"))
          .isEqualTo("service_healthy");
    }
    // the password reaches the indexer as a secret file, never as an argument
    assertThat(args.get(args.indexOf("--opensearch-password-file") + 1))
        .isEqualTo("/run/secrets/opensearch-admin-password");
    assertThat(Yamls.list(indexer.get("secrets"))).contains("opensearch-admin-password");
    assertThat(
            Yamls.str(Yamls.map(compose.get("secrets")), "opensearch-admin-password.environment"))
        .isEqualTo("OPENSEARCH_ADMIN_PASSWORD");
    assertThat(String.join(" ", args)).doesNotContain("${OPENSEARCH_ADMIN_PASSWORD");

    Map<String, Object> service = Yamls.map(services.get("service-opensearch"));
    assertThat(Yamls.str(service, "environment.SHOPSEARCH_BACKEND")).isEqualTo("opensearch");
    assertThat(Yamls.str(service, "environment.SHOPSEARCH_OPENSEARCH_ALIAS"))
        .isEqualTo(args.get(args.indexOf("--alias") + 1));
    assertThat(Yamls.str(service, "depends_on.indexer-opensearch.condition"))
        .isEqualTo("service_completed_successfully");
    // beside the default stack: other host ports
    assertThat(Yamls.list(service.get("ports")))
        .doesNotContainAnyElementsOf(Yamls.list(Yamls.map(services.get("service")).get("ports")));
  }
}
