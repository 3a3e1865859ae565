package dev.shopsearch.tooling.onnx;

import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes an int8-weight copy of a model bundle ({@link OnnxWeightQuantizer} on the chosen towers)
 * and checks it against the original before keeping it: both bundles encode the same probe texts
 * and seeded smooth synthetic images, and the lowest cosine between an original embedding and its
 * quantised counterpart must reach {@link Options#minCosine()}. Otherwise nothing is written to the
 * output directory and a {@link BundleException} names the cosine and the limit (the check runs on
 * a scratch copy next to it).
 *
 * <p>The copy gets a new content hash (an index built with the original is refused by the service,
 * as for any other model) and {@code metadata.quantization} = scheme, towers, source hash,
 * per-tower fidelity and node counts. Not thread-safe per output directory.
 */
public final class BundleQuantizer {

  /** Shopping queries used as text probes (English and Chinese; unknown words are fine). */
  public static final List<String> PROBE_TEXTS =
      List.of(
          "black leather backpack",
          "red floral dress",
          "men navy blue shirt",
          "women white running shoes",
          "kids yellow raincoat",
          "silver analog watch with steel strap",
          "striped cotton t-shirt",
          "denim jacket",
          "gold hoop earrings",
          "waterproof hiking boots size 44",
          "sports bra",
          "wool winter scarf grey",
          "红色碎花连衣裙",
          "黑色皮革双肩包",
          "a photo of a green handbag",
          "yoga pants high waist");

  /**
   * Options.
   *
   * @param towers which towers to quantise: {@code text}, {@code image} or both
   * @param weights which {@code MatMul}s qualify
   * @param minCosine lowest acceptable cosine between original and quantised embeddings
   * @param probeImages synthetic images to compare (0 skips the image check)
   * @param seed seed of the synthetic images
   */
  public record Options(
      Set<String> towers,
      OnnxWeightQuantizer.Options weights,
      double minCosine,
      int probeImages,
      long seed) {
    public Options {
      towers = Set.copyOf(towers);
      if (towers.isEmpty() || !Set.of("text", "image").containsAll(towers)) {
        throw new IllegalArgumentException(
            "towers must be a non-empty subset of [text, image]; towers=" + towers);
      }
      if (!(minCosine > 0 && minCosine <= 1)) {
        throw new IllegalArgumentException("minCosine must be in (0, 1]; minCosine=" + minCosine);
      }
      if (probeImages < 0 || probeImages > 256) {
        throw new IllegalArgumentException(
            "probeImages must be in [0, 256]; probeImages=" + probeImages);
      }
    }

    /** Both towers, default weight threshold, cosine ≥ 0.99, 16 probe images, seed 42. */
    public static Options defaults() {
      return new Options(
          Set.of("text", "image"), OnnxWeightQuantizer.Options.defaults(), 0.99, 16, 42);
    }
  }

  /**
   * Original vs quantised embeddings of one tower.
   *
   * @param samples probes compared
   * @param minCosine lowest cosine
   * @param meanCosine mean cosine
   */
  public record Fidelity(int samples, double minCosine, double meanCosine) {}

  /** The written bundle, what was quantised per tower and how close it stays. */
  public record Result(
      ModelBundle bundle,
      Map<String, OnnxWeightQuantizer.Report> reports,
      Map<String, Fidelity> fidelity) {}

  private BundleQuantizer() {}

  /**
   * Quantises {@code source} into {@code outDir} (absent or empty).
   *
   * @throws BundleException if {@code outDir} holds files, a tower cannot be read or written, or
   *     the quantised embeddings fall below {@link Options#minCosine()} (nothing is written then)
   * @throws IllegalArgumentException if a chosen tower has no qualifying {@code MatMul}
   */
  public static Result quantize(ModelBundle source, Path outDir, Options options) {
    BundleManifest manifest = source.manifest();
    Map<String, String> towerFiles = new LinkedHashMap<>();
    towerFiles.put("text", manifest.text().file());
    towerFiles.put("image", manifest.image().file());
    Map<String, byte[]> files = new TreeMap<>();
    Map<String, OnnxWeightQuantizer.Report> reports = new TreeMap<>();
    try {
      for (Path p : sourceFiles(source.dir())) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new BundleException("cannot read bundle " + source.dir() + ": " + e.getMessage(), e);
    }
    for (String tower : options.towers()) {
      String file = towerFiles.get(tower);
      OnnxWeightQuantizer.Result q;
      try {
        q = OnnxWeightQuantizer.quantize(files.get(file), options.weights());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(tower + " tower " + file + ": " + e.getMessage(), e);
      }
      files.put(file, q.model());
      reports.put(tower, q.report());
    }
    if (Files.isDirectory(outDir)) {
      try (Stream<Path> s = Files.list(outDir)) {
        if (s.findAny().isPresent()) {
          throw new BundleException(
              "output directory " + outDir + " is not empty; quantise into a new directory");
        }
      } catch (IOException e) {
        throw new BundleException("cannot list " + outDir + ": " + e.getMessage(), e);
      }
    }
    Map<String, Object> quantization = new LinkedHashMap<>();
    quantization.put("scheme", "int8 weights, per-column symmetric; dynamic uint8 activations");
    quantization.put("operator", "com.microsoft.DynamicQuantizeMatMul");
    quantization.put("towers", List.copyOf(reports.keySet()));
    quantization.put("sourceContentHash", manifest.contentHash());
    quantization.put("minWeights", options.weights().minWeights());
    Map<String, Object> nodes = new TreeMap<>();
    reports.forEach((t, r) -> nodes.put(t, r.quantized().size()));
    quantization.put("quantizedMatMuls", nodes);
    Map<String, Object> metadata = new LinkedHashMap<>(manifest.metadata());
    metadata.put(BundleManifest.QUANTIZATION_KEY, quantization);
    BundleManifest draft =
        manifest.withMetadata(metadata).withVersion(manifest.version() + "+int8");

    Path parent = outDir.toAbsolutePath().normalize().getParent();
    Path scratch;
    try {
      Files.createDirectories(parent);
      scratch = Files.createTempDirectory(parent, ".quantize-");
    } catch (IOException e) {
      throw new BundleException("cannot create a scratch directory in " + parent + ": " + e, e);
    }
    Map<String, Fidelity> fidelity;
    try {
      fidelity = compare(source, ModelBundle.write(scratch, draft, files), options);
    } finally {
      deleteBundle(scratch, files.keySet());
    }
    for (Map.Entry<String, Fidelity> e : fidelity.entrySet()) {
      if (e.getValue().minCosine() < options.minCosine()) {
        throw new BundleException(
            String.format(
                Locale.ROOT,
                "int8 %s tower drifts too far from %s: min cosine %.5f over %d probes is below"
                    + " minCosine %s; nothing was written to %s",
                e.getKey(),
                source.dir(),
                e.getValue().minCosine(),
                e.getValue().samples(),
                options.minCosine(),
                outDir));
      }
    }
    Map<String, Object> fid = new TreeMap<>();
    fidelity.forEach(
        (t, f) ->
            fid.put(
                t,
                Map.of(
                    "samples", f.samples(),
                    "minCosine", round(f.minCosine()),
                    "meanCosine", round(f.meanCosine()))));
    quantization.put("fidelity", fid);
    metadata.put(BundleManifest.QUANTIZATION_KEY, quantization);
    ModelBundle written = ModelBundle.write(outDir, draft.withMetadata(metadata), files);
    return new Result(written, reports, fidelity);
  }

  private static Map<String, Fidelity> compare(
      ModelBundle source, ModelBundle quantized, Options options) {
    Map<String, Fidelity> out = new TreeMap<>();
    EncoderOptions cpu = EncoderOptions.cpu();
    try (TextEncoder a = Encoders.text(source, cpu);
        TextEncoder b = Encoders.text(quantized, cpu)) {
      out.put("text", fidelity(a.encode(PROBE_TEXTS), b.encode(PROBE_TEXTS)));
    }
    if (options.probeImages() > 0) {
      List<float[]> images =
          probeImages(source.manifest().imageSpec(), options.probeImages(), options.seed());
      try (ImageEncoder a = Encoders.image(source, cpu);
          ImageEncoder b = Encoders.image(quantized, cpu)) {
        out.put("image", fidelity(a.encode(images), b.encode(images)));
      }
    }
    return out;
  }

  static Fidelity fidelity(List<float[]> a, List<float[]> b) {
    double min = Double.POSITIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int j = 0; j < a.get(i).length; j++) {
        dot += a.get(i)[j] * b.get(i)[j];
        na += a.get(i)[j] * a.get(i)[j];
        nb += b.get(i)[j] * b.get(i)[j];
      }
      double cos = dot / Math.sqrt(na * nb);
      min = Math.min(min, cos);
      sum += cos;
    }
    return new Fidelity(a.size(), min, sum / a.size());
  }

  /**
   * Seeded smooth images (a few random low-frequency waves per channel, values in [0, 1]),
   * normalised with the bundle's mean and std, CHW.
   */
  static List<float[]> probeImages(ImageSpec spec, int count, long seed) {
    Random random = new Random(seed);
    int s = spec.size();
    List<float[]> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      float[] px = new float[3 * s * s];
      for (int c = 0; c < 3; c++) {
        double fx = 1 + random.nextInt(4);
        double fy = 1 + random.nextInt(4);
        double phase = random.nextDouble() * Math.PI * 2;
        double base = random.nextDouble();
        for (int y = 0; y < s; y++) {
          for (int x = 0; x < s; x++) {
            double v =
                base
                    + 0.35 * Math.sin(2 * Math.PI * (fx * x + fy * y) / s + phase)
                    + 0.05 * random.nextGaussian();
            v = Math.max(0, Math.min(1, v));
            px[c * s * s + y * s + x] = (float) ((v - spec.mean()[c]) / spec.std()[c]);
          }
        }
      }
      out.add(px);
    }
    return out;
  }

  private static List<Path> sourceFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(ModelBundle.MANIFEST_FILE))
          .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
          .sorted()
          .toList();
    }
  }

  private static void deleteBundle(Path dir, Set<String> names) {
    try {
      for (String name : names) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir.resolve(ModelBundle.MANIFEST_FILE));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Best effort: a leftover scratch directory starts with ".quantize-" and holds no secrets.
    }
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
