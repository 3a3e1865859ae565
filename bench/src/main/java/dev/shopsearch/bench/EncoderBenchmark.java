package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ExecutionProvider;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.text.ClipBpeTokenizerJson;
import dev.shopsearch.core.text.WordLevelTokenizerJson;
import dev.shopsearch.tooling.onnx.BundleQuantizer;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.tooling.onnx.OnnxWeightQuantizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoder speed at CLIP ViT-B/32 size (151 M parameters, random weights written by {@link
 * ClipBundleExporter}) through the production encoders ({@link Encoders}): text latency at batch 1
 * (one ~8-token query), text throughput at batch 32 (queries/s) and image throughput at batch 32
 * (images/s, 224 px).
 *
 * <p>The tokenizer is CLIP's BPE built from {@code <shared>/tokenizers/clip/bpe_simple_vocab_16e6
 * .txt.gz} ({@code -Dshopsearch.shared=...}, default {@code ../shared}); without it a word-level
 * tokenizer over the query words is used (same token count for these queries).
 *
 * <p>Run (from the project root; {@code -p provider=cuda} with {@code -Pcuda} on a GPU host; see
 * also {@code docs/benchmarks.md} for the shaded-jar variant and measured numbers):
 *
 * <pre>
 * ./mvnw -B -ntp -o -q -pl bench -am package -DskipTests
 * OPT_OUT_TRACKING=true java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   org.openjdk.jmh.Main EncoderBenchmark -f 1 -wi 2 -i 3 -w 5s -r 10s
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx6g",
      "--enable-native-access=ALL-UNNAMED",
      "-Dai.djl.offline=true",
      "-Dshopsearch.bench=true"
    })
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class EncoderBenchmark {
  /** A short query: 6 words, 8 tokens with start/end of text. */
  static final String QUERY = "red leather handbag with gold chain";

  private static final List<String> WORDS =
      List.of(
          "red",
          "blue",
          "black",
          "white",
          "leather",
          "cotton",
          "denim",
          "floral",
          "striped",
          "handbag",
          "dress",
          "shirt",
          "jeans",
          "sneakers",
          "boots",
          "jacket",
          "with",
          "gold",
          "silver",
          "chain",
          "summer",
          "women's",
          "men's",
          "long",
          "sleeve");

  /** {@code cpu} or {@code cuda}. */
  @Param({"cpu"})
  public String provider;

  /**
   * {@code fp32} (the exported graphs) or {@code int8} (the same bundle after {@link
   * BundleQuantizer}: int8 MatMul weights, checked to cosine ≥ 0.99 against fp32).
   */
  @Param({"fp32", "int8"})
  public String weights;

  /** ONNX Runtime intra-op threads (0 = ORT default). */
  @Param({"0"})
  public int threads;

  private Path dir;
  private TextEncoder text;
  private ImageEncoder image;
  private List<String> queries;
  private List<float[]> pixels;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("shopsearch-bench-vitb32");
    ClipConfig config = ClipConfig.vitB32();
    ModelBundle bundle =
        ClipBundleExporter.export(
            dir.resolve("bundle"),
            config,
            ClipWeights.random(config, 42),
            tokenizer().getBytes(StandardCharsets.UTF_8),
            "bench-vit-b32-random",
            "1",
            Map.of("purpose", "benchmark"),
            new TextSpec("tokenizer.json", ClipBpeTokenizerJson.CONTEXT_LENGTH, true),
            ImageSpec.clip(config.image().imageSize()));
    if (weights.equals("int8")) {
      bundle =
          BundleQuantizer.quantize(
                  bundle,
                  dir.resolve("bundle-int8"),
                  new BundleQuantizer.Options(
                      java.util.Set.of("text", "image"),
                      OnnxWeightQuantizer.Options.defaults(),
                      0.99,
                      4,
                      42))
              .bundle();
    } else if (!weights.equals("fp32")) {
      throw new IllegalArgumentException("weights must be fp32 or int8; weights=" + weights);
    }
    EncoderOptions options =
        new EncoderOptions(ExecutionProvider.parse(provider), 0, false, threads);
    text = Encoders.text(bundle, options);
    image = Encoders.image(bundle, options);
    SplittableRandom rnd = new SplittableRandom(7);
    queries = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      StringBuilder q = new StringBuilder();
      int n = 3 + rnd.nextInt(5);
      for (int w = 0; w < n; w++) {
        q.append(w == 0 ? "" : " ").append(WORDS.get(rnd.nextInt(WORDS.size())));
      }
      queries.add(q.toString());
    }
    int size = config.image().imageSize();
    pixels = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      float[] img = new float[3 * size * size];
      for (int p = 0; p < img.length; p++) {
        img[p] = (float) (rnd.nextDouble() * 4 - 2);
      }
      pixels.add(img);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (text != null) {
      text.close();
    }
    if (image != null) {
      image.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Latency of one short query. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public float[] textBatch1() {
    return text.encode(QUERY);
  }

  /** Queries per second at batch 32. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(32)
  public List<float[]> textBatch32() {
    return text.encode(queries);
  }

  /** Images per second at batch 32. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(32)
  public List<float[]> imageBatch32() {
    return image.encode(pixels);
  }

  private static String tokenizer() {
    String configured = System.getProperty("shopsearch.shared");
    Path shared = Path.of(configured != null && !configured.isBlank() ? configured : "../shared");
    Path bpe = shared.resolve("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    if (Files.isRegularFile(bpe)) {
      return ClipBpeTokenizerJson.fromBpeVocab(bpe);
    }
    System.err.println("EncoderBenchmark: " + bpe + " not found; using a word-level tokenizer");
    return WordLevelTokenizerJson.build(WORDS, 1, 1000);
  }
}
