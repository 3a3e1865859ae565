package dev.shopsearch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small kustomize: resolves the subset of {@code kustomization.yaml} these manifests use ({@code
 * resources} files and directories, {@code namespace}, {@code labels} pairs, {@code images}, and
 * {@code patches} given as strategic-merge files matched by kind and name). Anything else in a
 * kustomization is refused, so the check never silently ignores a feature.
 */
final class Kustomize {
  private static final Set<String> SUPPORTED =
      Set.of("apiVersion", "kind", "namespace", "labels", "resources", "patches", "images");
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass");

  private Kustomize() {}

  /** The resources the kustomization in {@code dir} produces. */
  static List<Map<String, Object>> build(Path dir) throws IOException {
    Path file = dir.resolve("kustomization.yaml");
    Map<String, Object> k = ProjectFiles.yaml(file);
    for (String key : k.keySet()) {
      if (!SUPPORTED.contains(key)) {
        throw new IllegalArgumentException(file + ": unsupported kustomization key '" + key + "'");
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object r : list(k.get("resources"))) {
      Path p = dir.resolve((String) r).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(build(p));
      } else if (Files.isRegularFile(p)) {
        out.addAll(ProjectFiles.yamlDocuments(p));
      } else {
        throw new IllegalArgumentException(file + ": resource " + r + " does not exist");
      }
    }
    for (Object patch : list(k.get("patches"))) {
      String path = (String) Yamls.map(patch).get("path");
      if (path == null) {
        throw new IllegalArgumentException(file + ": only file patches are supported: " + patch);
      }
      for (Map<String, Object> p : ProjectFiles.yamlDocuments(dir.resolve(path))) {
        Map<String, Object> target = find(out, Yamls.str(p, "kind"), Yamls.str(p, "metadata.name"));
        if (target == null) {
          throw new IllegalArgumentException(
              file
                  + ": patch "
                  + path
                  + " targets "
                  + Yamls.str(p, "kind")
                  + "/"
                  + Yamls.str(p, "metadata.name")
                  + ", which no resource defines");
        }
        merge(target, p);
      }
    }
    String namespace = (String) k.get("namespace");
    for (Map<String, Object> doc : out) {
      Map<String, Object> meta = Yamls.map(doc.get("metadata"));
      if (namespace != null && !CLUSTER_SCOPED.contains(Yamls.str(doc, "kind"))) {
        meta.put("namespace", namespace);
      }
      for (Object l : list(k.get("labels"))) {
        Map<String, Object> labels =
            Yamls.map(meta.computeIfAbsent("labels", x -> new LinkedHashMap<String, Object>()));
        labels.putAll(Yamls.map(Yamls.map(l).get("pairs")));
      }
    }
    for (Object i : list(k.get("images"))) {
      Map<String, Object> image = Yamls.map(i);
      for (Map<String, Object> doc : out) {
        for (Map<String, Object> c : Yamls.containers(doc)) {
          String current = (String) c.get("image");
          if (Yamls.imageName(current).equals(image.get("name"))) {
            String name =
                image.containsKey("newName")
                    ? (String) image.get("newName")
                    : Yamls.imageName(current);
            String tag =
                image.containsKey("newTag")
                    ? (String) image.get("newTag")
                    : Yamls.imageTag(current);
            c.put("image", tag == null ? name : name + ":" + tag);
          }
        }
      }
    }
    return out;
  }

  static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
    for (Map<String, Object> d : docs) {
      if (kind.equals(Yamls.str(d, "kind")) && name.equals(Yamls.str(d, "metadata.name"))) {
        return d;
      }
    }
    return null;
  }

  /** Strategic merge: maps merge, lists of named maps merge by name, anything else replaces. */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> target, Map<String, Object> patch) {
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      Object current = target.get(e.getKey());
      Object value = e.getValue();
      if (current instanceof Map && value instanceof Map) {
        merge((Map<String, Object>) current, (Map<String, Object>) value);
      } else if (current instanceof List<?> cl
          && value instanceof List<?> vl
          && named(cl)
          && named(vl)) {
        List<Object> merged = new ArrayList<>(cl);
        List<Object> added = new ArrayList<>();
        for (Object item : vl) {
          Map<String, Object> patchItem = (Map<String, Object>) item;
          Map<String, Object> match = null;
          for (Object existing : merged) {
            if (((Map<String, Object>) existing).get("name").equals(patchItem.get("name"))) {
              match = (Map<String, Object>) existing;
            }
          }
          if (match == null) {
            added.add(item);
          } else {
            merge(match, patchItem);
          }
        }
        // Like kustomize: items only the patch has come first, in patch order.
        added.addAll(merged);
        target.put(e.getKey(), added);
      } else {
        target.put(e.getKey(), value);
      }
    }
  }

  private static boolean named(List<?> list) {
    return !list.isEmpty()
        && list.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("name") != null);
  }

  private static List<?> list(Object o) {
    return o == null ? List.of() : (List<?>) o;
  }
}
