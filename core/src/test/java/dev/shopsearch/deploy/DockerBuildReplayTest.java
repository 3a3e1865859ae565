package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds every image's Maven stage the way {@code docker build} would, without Docker: its COPY
 * lines into a temporary build context, then its RUN lines there, Maven offline against the local
 * repository ({@link BuildStageReplay}). Catches what reading the Dockerfile cannot, e.g. a module
 * pom the stage forgot ("Child module ... does not exist") or a jar name the {@code cp} after the
 * build does not match. Skips with a message when the local repository lacks a third-party artifact
 * the build needs (e.g. the CUDA ONNX Runtime when nobody built with {@code -Pcuda} here).
 */
@Tag("slow")
class DockerBuildReplayTest {
  private static final Path ROOT = ProjectFiles.root();

  static List<String> images() throws IOException {
    return ProjectFiles.files(ROOT.resolve("docker"), ".Dockerfile").stream()
        .map(p -> p.getFileName().toString().replace(".Dockerfile", ""))
        .toList();
  }

  @ParameterizedTest
  @MethodSource("images")
  void buildStageBuildsOfflineFromWhatItCopies(String image, @TempDir Path tmp) throws Exception {
    Path file = ROOT.resolve("docker").resolve(image + ".Dockerfile");
    Dockerfile d = Dockerfile.parse(file);
    List<Dockerfile.Instruction> stage = d.mavenStage();
    String ownGroupId =
        ProjectFiles.first(Files.readString(ROOT.resolve("pom.xml")), "<groupId>([^<]+)</groupId>");
    BuildStageReplay replay = new BuildStageReplay(ROOT, DockerIgnore.load(ROOT), tmp);
    for (Dockerfile.Instruction i : stage) {
      BuildStageReplay.Run run = replay.apply(i);
      if (run == null || run.exitCode() == 0) {
        continue;
      }
      String miss = run.offlineMiss(ownGroupId);
      assumeTrue(
          miss == null,
          () ->
              image
                  + ": the local Maven repository lacks an artifact this build needs, so it "
                  + "cannot be replayed offline here: "
                  + miss);
      fail(
          "%s: RUN failed with exit code %d in the replayed build context%n  RUN %s%n"
              + "  replayed as: %s%n--- output tail ---%n%s",
          file, run.exitCode(), i.args(), run.command(), run.tail(40));
    }
    // What the later stages take from this one must be there.
    String alias = Dockerfile.alias(stage);
    for (String copy : d.anyStage("COPY")) {
      if (!alias.isEmpty() && copy.startsWith("--from=" + alias + " ")) {
        String[] parts = copy.split("\\s+");
        for (int k = 1; k < parts.length - 1; k++) {
          assertThat(replay.host(parts[k]))
              .as("%s: COPY %s — the %s stage produced %s", file, copy, alias, parts[k])
              .exists();
        }
      }
    }
  }
}
