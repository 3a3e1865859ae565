package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks k8s/: every manifest parses, every overlay resolves, and the resolved objects agree. */
class K8sManifestsTest {
  private static final Path K8S = ProjectFiles.root().resolve("k8s");

  @Test
  void everyManifestParsesAndNamesItsKind() throws IOException {
    List<Path> files = ProjectFiles.files(K8S, ".yaml");
    assertThat(files).hasSizeGreaterThanOrEqualTo(12);
    for (Path f : files) {
      List<Map<String, Object>> docs = ProjectFiles.yamlDocuments(f);
      assertThat(docs).as("%s has documents", f).isNotEmpty();
      for (Map<String, Object> doc : docs) {
        assertThat(doc).as("%s", f).containsKeys("apiVersion", "kind");
        if (f.getFileName().toString().equals("kustomization.yaml")) {
          assertThat(doc.get("kind")).isEqualTo("Kustomization");
        } else {
          assertThat(Yamls.str(doc, "metadata.name")).as("%s metadata.name", f).isNotBlank();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "opensearch"})
  void overlayResolvesToACompleteSet(String overlay) throws IOException {
    List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    Set<String> ids = new HashSet<>();
    for (Map<String, Object> d : docs) {
      assertThat(ids.add(d.get("kind") + "/" + Yamls.str(d, "metadata.name")))
          .as("%s/%s defined once", d.get("kind"), Yamls.str(d, "metadata.name"))
          .isTrue();
      if (!"Namespace".equals(d.get("kind"))) {
        assertThat(Yamls.str(d, "metadata.namespace")).isEqualTo("shopsearch");
      }
      assertThat(Yamls.map(Yamls.get(d, "metadata.labels")))
          .containsEntry("app.kubernetes.io/part-of", "shopsearch");
    }
    assertThat(ids)
        .contains(
            "Namespace/shopsearch",
            "ConfigMap/shopsearch-service-config",
            "PersistentVolumeClaim/shopsearch-data",
            "PersistentVolumeClaim/shopsearch-models",
            "Deployment/shopsearch-service",
            "Service/shopsearch-service",
            "PodDisruptionBudget/shopsearch-service",
            "HorizontalPodAutoscaler/shopsearch-service",
            "CronJob/shopsearch-reindex",
            "NetworkPolicy/shopsearch-service",
            "NetworkPolicy/shopsearch-batch");
    if (overlay.equals("gpu")) {
      assertThat(ids).contains("Job/shopsearch-finetune");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "opensearch"})
  void everyContainerSetsRequestsAndLimits(String overlay) throws IOException {
    int containers = 0;
    for (Map<String, Object> d : Kustomize.build(K8S.resolve("overlays").resolve(overlay))) {
      for (Map<String, Object> c : Yamls.containers(d)) {
        String where = overlay + " " + d.get("kind") + "/" + Yamls.str(d, "metadata.name");
        assertThat(Yamls.get(c, "resources.requests.cpu")).as("%s cpu request", where).isNotNull();
        assertThat(Yamls.get(c, "resources.requests.memory"))
            .as("%s memory request", where)
            .isNotNull();
        assertThat(Yamls.get(c, "resources.limits.cpu")).as("%s cpu limit", where).isNotNull();
        assertThat(Yamls.get(c, "resources.limits.memory"))
            .as("%s memory limit", where)
            .isNotNull();
        containers++;
      }
    }
    assertThat(containers).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "opensearch"})
  void probesAndPortsMatchTheServiceConfiguration(String overlay) throws IOException {
    ServiceConfig config = ServiceConfig.load();
    List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    Map<String, Object> deployment = Kustomize.find(docs, "Deployment", "shopsearch-service");
    Map<String, Object> container = Yamls.containers(deployment).get(0);
    Map<String, Integer> ports = new java.util.HashMap<>();
    for (Object p : Yamls.list(container.get("ports"))) {
      ports.put(Yamls.str(Yamls.map(p), "name"), (Integer) Yamls.map(p).get("containerPort"));
    }
    assertThat(ports).containsEntry("http", config.serverPort());
    assertThat(ports).containsEntry("management", config.managementPort());
    assertThat(config.probesEnabled()).as("management.endpoint.health.probes.enabled").isTrue();
    Map<String, String> expected =
        Map.of(
            "startupProbe", "/actuator/health/liveness",
            "livenessProbe", "/actuator/health/liveness",
            "readinessProbe", "/actuator/health/readiness");
    for (Map.Entry<String, String> probe : expected.entrySet()) {
      String path = probe.getKey() + ".httpGet";
      assertThat(Yamls.str(container, path + ".path")).as(path).isEqualTo(probe.getValue());
      Object port = Yamls.get(container, path + ".port");
      Integer number = port instanceof Integer i ? i : ports.get(String.valueOf(port));
      assertThat(number).as("%s port %s", path, port).isEqualTo(config.managementPort());
    }
    Map<String, Object> service = Kustomize.find(docs, "Service", "shopsearch-service");
    Map<String, Object> servicePort =
        Yamls.map(Yamls.list(Yamls.get(service, "spec.ports")).get(0));
    assertThat(ports.get(String.valueOf(servicePort.get("targetPort"))))
        .as("Service targetPort")
        .isEqualTo(config.serverPort());
    assertThat(
            Yamls.map(Yamls.get(deployment, "spec.template.metadata.annotations"))
                .get("prometheus.io/port"))
        .isEqualTo(String.valueOf(config.managementPort()));
    if (config.managementOnLoopback()) {
      // Probes and Prometheus connect to the pod IP: the pod must bind actuator there.
      Map<String, Object> address = null;
      for (Object e : Yamls.list(container.get("env"))) {
        if ("MANAGEMENT_SERVER_ADDRESS".equals(Yamls.map(e).get("name"))) {
          address = Yamls.map(e);
        }
      }
      assertThat(address)
          .as("env MANAGEMENT_SERVER_ADDRESS (actuator binds to loopback)")
          .isNotNull();
      assertThat(Yamls.str(address, "valueFrom.fieldRef.fieldPath")).isEqualTo("status.podIP");
    }
  }

  @Test
  void gracefulTerminationOutlastsPreStopAndTheShutdownPhase() throws IOException {
    ServiceConfig config = ServiceConfig.load();
    for (String overlay : List.of("cpu", "gpu", "opensearch")) {
      List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
      Map<String, Object> deployment = Kustomize.find(docs, "Deployment", "shopsearch-service");
      int grace =
          (Integer) Yamls.get(deployment, "spec.template.spec.terminationGracePeriodSeconds");
      List<Object> preStop =
          Yamls.list(
              Yamls.get(Yamls.containers(deployment).get(0), "lifecycle.preStop.exec.command"));
      int sleep = Integer.parseInt(String.valueOf(preStop.getLast()).replaceAll("\\D+", ""));
      assertThat(grace)
          .as(
              "%s: grace %d s vs preStop %d s + shutdown phase %s",
              overlay, grace, sleep, config.shutdownPhase())
          .isGreaterThan(sleep + (int) config.shutdownPhase().toSeconds());
      Map<String, Object> configMap =
          Kustomize.find(docs, "ConfigMap", "shopsearch-service-config");
      String appYaml = (String) Yamls.map(configMap.get("data")).get("application.yaml");
      assertThat(appYaml)
          .contains("timeout-per-shutdown-phase: " + config.shutdownPhase().toSeconds() + "s");
    }
  }

  @Test
  void nightlyReindexNeverOverlapsAndRunsTheIndexerUpdate() throws IOException {
    List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays/cpu"));
    Map<String, Object> cron = Kustomize.find(docs, "CronJob", "shopsearch-reindex");
    assertThat(Yamls.str(cron, "spec.concurrencyPolicy")).isEqualTo("Forbid");
    assertThat(Yamls.str(cron, "spec.jobTemplate.spec.template.spec.restartPolicy"))
        .isEqualTo("Never");
    Map<String, Object> indexer = Yamls.containers(cron).get(0);
    assertThat(Yamls.imageName((String) indexer.get("image"))).isEqualTo("shopsearch/indexer");
    List<Object> args = Yamls.list(indexer.get("args"));
    assertThat(args.getFirst()).isEqualTo("update");
    assertThat(args).contains("--index", "/data/index");
  }

  @Test
  void gpuOverlayAsksForGpusAndTheCpuOverlayNever() throws IOException {
    List<Map<String, Object>> gpu = Kustomize.build(K8S.resolve("overlays/gpu"));
    Map<String, Object> service =
        Yamls.containers(Kustomize.find(gpu, "Deployment", "shopsearch-service")).get(0);
    assertThat(service.get("image")).isEqualTo("shopsearch/service-cuda:0.1.0");
    assertThat(Yamls.map(Yamls.get(service, "resources.limits")))
        .containsEntry("nvidia.com/gpu", "1");
    assertThat(env(service)).containsEntry("SHOPSEARCH_MODEL_PROVIDER", "cuda");
    Map<String, Object> job = Kustomize.find(gpu, "Job", "shopsearch-finetune");
    assertThat(Yamls.get(job, "spec.suspend")).isEqualTo(true);
    Map<String, Object> trainer = Yamls.containers(job).get(0);
    assertThat(trainer.get("image")).isEqualTo("shopsearch/trainer:0.1.0-cuda");
    assertThat(Yamls.map(Yamls.get(trainer, "resources.limits")))
        .containsEntry("nvidia.com/gpu", "1");
    assertThat(env(trainer))
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("DJL_OFFLINE", "true");

    List<Map<String, Object>> cpu = Kustomize.build(K8S.resolve("overlays/cpu"));
    Map<String, Object> cpuService =
        Yamls.containers(Kustomize.find(cpu, "Deployment", "shopsearch-service")).get(0);
    assertThat(cpuService.get("image")).isEqualTo("shopsearch/service:0.1.0");
    assertThat(env(cpuService)).containsEntry("SHOPSEARCH_MODEL_PROVIDER", "cpu");
    for (Map<String, Object> d : cpu) {
      for (Map<String, Object> c : Yamls.containers(d)) {
        assertThat(c.toString()).as("%s", d.get("kind")).doesNotContain("nvidia.com/gpu");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "opensearch"})
  void everyImageIsBuiltByADockerfileAndPinned(String overlay) throws IOException {
    Path docker = ProjectFiles.root().resolve("docker");
    for (Map<String, Object> d : Kustomize.build(K8S.resolve("overlays").resolve(overlay))) {
      for (Map<String, Object> c : Yamls.containers(d)) {
        String image = (String) c.get("image");
        String name = Yamls.imageName(image);
        assertThat(name).as(image).startsWith("shopsearch/");
        Path dockerfile = docker.resolve(name.substring("shopsearch/".length()) + ".Dockerfile");
        assertThat(dockerfile).as("%s is built by", image).isRegularFile();
        assertThat(Yamls.imageTag(image)).as("%s tag", image).isNotNull().isNotEqualTo("latest");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "opensearch"})
  void selectorsVolumesAndReferencesResolve(String overlay) throws IOException {
    List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    Map<String, Object> deployment = Kustomize.find(docs, "Deployment", "shopsearch-service");
    Map<String, Object> podLabels = Yamls.podLabels(deployment);
    for (String selector :
        List.of(
            "Deployment:spec.selector.matchLabels",
            "PodDisruptionBudget:spec.selector.matchLabels",
            "NetworkPolicy:spec.podSelector.matchLabels",
            "Service:spec.selector")) {
      String[] kindPath = selector.split(":");
      Map<String, Object> doc = Kustomize.find(docs, kindPath[0], "shopsearch-service");
      assertThat(podLabels)
          .as(selector)
          .containsAllEntriesOf(Yamls.map(Yamls.get(doc, kindPath[1])));
    }
    Map<String, Object> hpa = Kustomize.find(docs, "HorizontalPodAutoscaler", "shopsearch-service");
    assertThat(
            Kustomize.find(
                docs,
                Yamls.str(hpa, "spec.scaleTargetRef.kind"),
                Yamls.str(hpa, "spec.scaleTargetRef.name")))
        .isNotNull();
    for (Map<String, Object> d : docs) {
      if ("batch"
          .equals(
              String.valueOf(
                  Yamls.podLabels(d) == null
                      ? null
                      : Yamls.podLabels(d).get("app.kubernetes.io/component")))) {
        assertThat(Yamls.podLabels(d))
            .containsAllEntriesOf(
                Yamls.map(
                    Yamls.get(
                        Kustomize.find(docs, "NetworkPolicy", "shopsearch-batch"),
                        "spec.podSelector.matchLabels")));
      }
      Map<String, Object> pod = Yamls.podSpec(d);
      if (pod == null) {
        continue;
      }
      Set<String> volumes = new HashSet<>();
      for (Object v : Yamls.list(pod.get("volumes"))) {
        Map<String, Object> volume = Yamls.map(v);
        volumes.add((String) volume.get("name"));
        String claim = Yamls.str(volume, "persistentVolumeClaim.claimName");
        if (claim != null) {
          assertThat(Kustomize.find(docs, "PersistentVolumeClaim", claim))
              .as("PVC %s", claim)
              .isNotNull();
        }
        String configMap = Yamls.str(volume, "configMap.name");
        if (configMap != null) {
          assertThat(Kustomize.find(docs, "ConfigMap", configMap))
              .as("ConfigMap %s", configMap)
              .isNotNull();
        }
      }
      for (Map<String, Object> c : Yamls.containers(d)) {
        List<String> mounts = new ArrayList<>();
        Yamls.list(c.get("volumeMounts")).forEach(m -> mounts.add(Yamls.str(Yamls.map(m), "name")));
        assertThat(volumes).as("%s volumes", d.get("kind")).containsAll(mounts);
      }
    }
  }

  @Test
  void openSearchOverlayRunsASecuredClusterWithSecretsReferencedNeverCommitted()
      throws IOException {
    List<Map<String, Object>> docs = Kustomize.build(K8S.resolve("overlays/opensearch"));
    Map<String, Object> cluster =
        Kustomize.find(docs, "OpenSearchCluster", "shopsearch-opensearch");
    assertThat(cluster).as("the operator's cluster resource").isNotNull();
    assertThat(Yamls.str(cluster, "apiVersion")).startsWith("opensearch.opster.io/");
    assertThat(Yamls.str(cluster, "spec.general.version")).startsWith("3.");
    int nodes = 0;
    for (Object pool : Yamls.list(Yamls.get(cluster, "spec.nodePools"))) {
      nodes += (Integer) Yamls.map(pool).get("replicas");
      assertThat(Yamls.get(Yamls.map(pool), "resources.limits.memory")).isNotNull();
    }
    assertThat(nodes).isGreaterThanOrEqualTo(2);
    assertThat(Yamls.get(cluster, "spec.security.tls.http.generate")).isEqualTo(true);
    assertThat(Yamls.str(cluster, "spec.security.config.adminCredentialsSecret.name")).isNotBlank();

    // secrets are referenced only; every one is named in the docs (created out of band)
    assertThat(docs).noneMatch(d -> "Secret".equals(d.get("kind")));
    String guide = Files.readString(ProjectFiles.root().resolve("docs/opensearch.md"));
    Set<String> secrets = new HashSet<>();
    secrets.add(Yamls.str(cluster, "spec.security.config.adminCredentialsSecret.name"));
    secrets.add(Yamls.str(cluster, "spec.security.config.securityConfigSecret.name"));
    String service = Yamls.str(cluster, "spec.general.serviceName");
    for (String workload : List.of("Deployment/shopsearch-service", "CronJob/shopsearch-reindex")) {
      String[] kn = workload.split("/");
      Map<String, Object> d = Kustomize.find(docs, kn[0], kn[1]);
      for (Object v : Yamls.list(Yamls.podSpec(d).get("volumes"))) {
        String name = Yamls.str(Yamls.map(v), "secret.secretName");
        if (name != null) {
          secrets.add(name);
        }
      }
      Map<String, Object> c = Yamls.containers(d).get(0);
      for (Object e : Yamls.list(c.get("env"))) {
        String ref = Yamls.str(Yamls.map(e), "valueFrom.secretKeyRef.name");
        if (ref != null) {
          secrets.add(ref);
        }
      }
      assertThat(c.toString())
          .as("%s talks to the operator's service %s over https", workload, service)
          .contains("https://" + service + ":9200");
    }
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(4);
    for (String secret : secrets) {
      assertThat(guide).as("docs/opensearch.md names Secret %s", secret).contains(secret);
    }

    Map<String, Object> cron = Kustomize.find(docs, "CronJob", "shopsearch-reindex");
    List<Object> args = Yamls.list(Yamls.containers(cron).get(0).get("args"));
    assertThat(args).contains("--backend", "opensearch", "--opensearch-password-file");
    assertThat(args.toString()).doesNotContainIgnoringCase("password=");
    assertThat(
            env(Yamls.containers(Kustomize.find(docs, "Deployment", "shopsearch-service")).get(0)))
        .containsEntry("SHOPSEARCH_BACKEND", "opensearch");

    // network: OpenSearch HTTP only from the search and batch pods; those may reach it
    Map<String, Object> os = Kustomize.find(docs, "NetworkPolicy", "shopsearch-opensearch");
    Map<String, Object> osPods = Yamls.map(Yamls.get(os, "spec.podSelector.matchLabels"));
    assertThat(osPods).containsEntry("opster.io/opensearch-cluster", "shopsearch-opensearch");
    String ingress = String.valueOf(Yamls.get(os, "spec.ingress"));
    assertThat(ingress)
        .contains("app.kubernetes.io/name=shopsearch-service")
        .contains("app.kubernetes.io/component=batch")
        .contains("port=9200")
        .contains("port=9300");
    for (String client : List.of("shopsearch-service", "shopsearch-batch")) {
      String egress =
          String.valueOf(Yamls.get(Kustomize.find(docs, "NetworkPolicy", client), "spec.egress"));
      assertThat(egress)
          .as("%s egress", client)
          .contains("opster.io/opensearch-cluster=shopsearch-opensearch")
          .contains("port=9200")
          .contains("port=53")
          .contains("10.0.0.0/8");
    }
  }

  @Test
  void docsDescribeTheRollout() throws IOException {
    Path deploy = ProjectFiles.root().resolve("docs/deploy.md");
    Path scaling = ProjectFiles.root().resolve("docs/scaling.md");
    assertThat(deploy).isRegularFile();
    assertThat(scaling).isRegularFile();
    assertThat(Files.readString(deploy)).contains("CURRENT", "generation", "zero downtime");
  }

  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Object e : Yamls.list(container.get("env"))) {
      out.put(Yamls.str(Yamls.map(e), "name"), Yamls.str(Yamls.map(e), "value"));
    }
    return out;
  }
}
