package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where {@code kubectl} is installed, the real kustomize must produce exactly what {@link
 * Kustomize} resolves (so the other checks test what a cluster would receive). Skipped otherwise.
 */
class KubectlKustomizeTest {

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void realKustomizeAgreesWithTheSmallResolver(String overlay) throws Exception {
    Path dir = ProjectFiles.root().resolve("k8s/overlays").resolve(overlay);
    String rendered = kubectlKustomize(dir);
    assumeTrue(rendered != null, "kubectl not available: cross-check skipped");
    List<Map<String, Object>> real = new ArrayList<>();
    for (Object doc :
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(new StringReader(rendered))) {
      real.add(Yamls.map(doc));
    }
    List<Map<String, Object>> ours = new ArrayList<>(Kustomize.build(dir));
    Comparator<Map<String, Object>> byId =
        Comparator.comparing(d -> d.get("kind") + "/" + Yamls.str(d, "metadata.name"));
    real.sort(byId);
    ours.sort(byId);
    assertThat(ours).hasSameSizeAs(real);
    for (int i = 0; i < real.size(); i++) {
      assertThat(ours.get(i))
          .as("%s", real.get(i).get("kind") + "/" + Yamls.str(real.get(i), "metadata.name"))
          .isEqualTo(real.get(i));
    }
  }

  private static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectErrorStream(false)
              .start();
    } catch (IOException e) {
      return null;
    }
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
