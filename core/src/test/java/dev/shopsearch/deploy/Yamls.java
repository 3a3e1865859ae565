package dev.shopsearch.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Navigation helpers over SnakeYAML's plain maps and lists. */
final class Yamls {
  private Yamls() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping, got " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  /** The value at a dotted path, or null when any step is missing. */
  static Object get(Map<String, Object> doc, String path) {
    Object cur = doc;
    for (String step : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(step);
    }
    return cur;
  }

  static String str(Map<String, Object> doc, String path) {
    Object v = get(doc, path);
    return v == null ? null : v.toString();
  }

  /** The pod spec of a Deployment, Job or CronJob, or null for other kinds. */
  static Map<String, Object> podSpec(Map<String, Object> doc) {
    Object spec =
        switch (String.valueOf(doc.get("kind"))) {
          case "Deployment", "StatefulSet", "DaemonSet", "Job" -> get(doc, "spec.template.spec");
          case "CronJob" -> get(doc, "spec.jobTemplate.spec.template.spec");
          default -> null;
        };
    return spec == null ? null : map(spec);
  }

  /** The pod template's labels of a workload, or null. */
  static Map<String, Object> podLabels(Map<String, Object> doc) {
    Object labels =
        "CronJob".equals(doc.get("kind"))
            ? get(doc, "spec.jobTemplate.spec.template.metadata.labels")
            : get(doc, "spec.template.metadata.labels");
    return labels == null ? null : map(labels);
  }

  /** Containers and init containers of a workload (empty for other kinds). */
  static List<Map<String, Object>> containers(Map<String, Object> doc) {
    Map<String, Object> pod = podSpec(doc);
    List<Map<String, Object>> out = new ArrayList<>();
    if (pod != null) {
      for (String key : List.of("initContainers", "containers")) {
        for (Object c : list(pod.get(key))) {
          out.add(map(c));
        }
      }
    }
    return out;
  }

  /** Image reference without tag or digest ({@code registry:5000/a/b:tag} → {@code .../a/b}). */
  static String imageName(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.substring(0, colon) : noDigest;
  }

  /** The tag of an image reference, or null. */
  static String imageTag(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.substring(colon + 1) : null;
  }
}
