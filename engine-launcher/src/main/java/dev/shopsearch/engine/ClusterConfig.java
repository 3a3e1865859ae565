package dev.shopsearch.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a test cluster.
 *
 * @param nodes number of node JVMs, in [1, 5]
 * @param heap heap of each node, e.g. {@code 512m}
 * @param startTimeout how long to wait for every node to join and the cluster to be yellow
 * @param engineLib folder holding the engine jars ({@code target/engine-lib} of this module)
 * @param workDir where node homes (data, logs) go; deleted on close
 */
public record ClusterConfig(
    int nodes, String heap, Duration startTimeout, Path engineLib, Path workDir) {

  /** System property overriding the start budget in seconds. */
  public static final String START_TIMEOUT_PROPERTY = "shopsearch.engine.startTimeoutSeconds";

  /** System property overriding where the engine jars are. */
  public static final String ENGINE_LIB_PROPERTY = "shopsearch.engine.lib";

  public ClusterConfig {
    if (nodes < 1 || nodes > 5) {
      throw new IllegalArgumentException("nodes must be in [1, 5]; nodes=" + nodes);
    }
    if (heap == null || !heap.matches("\\d+[mg]")) {
      throw new IllegalArgumentException("heap must look like 512m or 1g; heap=" + heap);
    }
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be > 0; startTimeout=" + startTimeout);
    }
    Objects.requireNonNull(engineLib, "engineLib");
    Objects.requireNonNull(workDir, "workDir");
  }

  /**
   * {@code nodes} nodes with 512 MB heaps, a start budget of {@value #DEFAULT_START_SECONDS} s (or
   * {@link #START_TIMEOUT_PROPERTY}), the engine jars next to this class's code source (or {@link
   * #ENGINE_LIB_PROPERTY}), node homes under {@code workDir}.
   */
  public static ClusterConfig defaults(int nodes, Path workDir) {
    long seconds = Long.getLong(START_TIMEOUT_PROPERTY, DEFAULT_START_SECONDS);
    String lib = System.getProperty(ENGINE_LIB_PROPERTY);
    Path engineLib = lib != null ? Path.of(lib) : EngineClasspath.defaultLib();
    return new ClusterConfig(nodes, "512m", Duration.ofSeconds(seconds), engineLib, workDir);
  }

  /** Default start budget: generous, the build machine is shared and often overloaded. */
  public static final long DEFAULT_START_SECONDS = 300;
}
