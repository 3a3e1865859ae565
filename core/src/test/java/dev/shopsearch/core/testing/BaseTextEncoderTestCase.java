package dev.shopsearch.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.encode.TextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link TextEncoder}, as tests that every implementation runs, fakes included (in
 * the spirit of Lucene's {@code BaseKnnVectorsFormatTestCase}): extend this class (a top-level or a
 * JUnit {@code @Nested} class) and implement {@link #newEncoder(Path)}.
 *
 * <ul>
 *   <li>shapes: one vector of {@link TextEncoder#dim()} floats per text, in input order;
 *   <li>normalisation: every vector is finite with unit L2 norm;
 *   <li>batch = single: {@code encode(batch).get(i)} equals {@code encode(batch.get(i))}, in any
 *       batch composition and order, and on every call;
 *   <li>thread safety: concurrent callers on one instance get the single-threaded answers;
 *   <li>bad input: an empty batch, a null or blank text is an {@link IllegalArgumentException}.
 * </ul>
 *
 * One encoder is created per test class and closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BaseTextEncoderTestCase {
  private Path dir;
  private TextEncoder encoder;

  /**
   * A new encoder under test; the test case closes it.
   *
   * @param dir an empty directory for files the encoder needs (a model bundle), deleted afterwards
   */
  protected abstract TextEncoder newEncoder(Path dir) throws Exception;

  /**
   * The texts fed to the encoder: at least three, of different lengths. Override with words the
   * encoder's vocabulary knows.
   */
  protected List<String> texts() {
    return List.of(
        "red dress",
        "a much longer text about blue cotton shirts and leather shoes",
        "shoes",
        "红色 连衣裙",
        "dress red",
        "Black Leather Handbag");
  }

  /** Element-wise tolerance when a vector is compared with the same text encoded elsewhere. */
  protected float tolerance() {
    return 1e-5f;
  }

  /** Concurrent callers in the thread-safety check. */
  protected int threads() {
    return 4;
  }

  /** The encoder under test. */
  protected final TextEncoder encoder() {
    return encoder;
  }

  @BeforeAll
  final void openEncoder() throws Exception {
    dir = EncoderChecks.tempDir("text-encoder-contract");
    encoder = newEncoder(dir);
    assertThat(encoder).as("newEncoder").isNotNull();
  }

  @AfterAll
  final void closeEncoder() {
    try {
      if (encoder != null) {
        encoder.close();
      }
    } finally {
      EncoderChecks.delete(dir);
    }
  }

  private List<float[]> singles() {
    List<float[]> out = new ArrayList<>();
    for (String t : texts()) {
      out.add(encoder.encode(List.of(t)).get(0));
    }
    return out;
  }

  @Test
  void contractShapesOneDimVectorPerTextInOrder() {
    assertThat(encoder.dim()).as("dim").isPositive();
    List<String> texts = texts();
    assertThat(texts).as("texts()").hasSizeGreaterThanOrEqualTo(3);
    List<float[]> batch = encoder.encode(texts);
    EncoderChecks.assertUnitVectors(batch, texts.size(), encoder.dim(), "batch");
    assertThat(encoder.encode(texts.get(0))).hasSize(encoder.dim());
    assertThat(encoder.dim()).as("dim is stable").isEqualTo(batch.get(0).length);
  }

  @Test
  void contractNormalisationEveryVectorIsUnit() {
    EncoderChecks.assertUnitVectors(singles(), texts().size(), encoder.dim(), "single texts");
  }

  @Test
  void contractBatchEqualsSingle() {
    List<String> texts = texts();
    List<float[]> singles = singles();
    List<float[]> batch = encoder.encode(texts);
    List<String> reversed = new ArrayList<>(texts);
    Collections.reverse(reversed);
    List<float[]> backwards = encoder.encode(reversed);
    List<String> twice = new ArrayList<>(texts);
    twice.addAll(texts);
    List<float[]> doubled = encoder.encode(twice);
    float tol = tolerance();
    for (int i = 0; i < texts.size(); i++) {
      String what = "text " + i + " '" + texts.get(i) + "'";
      EncoderChecks.assertClose(batch.get(i), singles.get(i), tol, what + " in a batch");
      EncoderChecks.assertClose(
          backwards.get(texts.size() - 1 - i), singles.get(i), tol, what + " in reverse order");
      EncoderChecks.assertClose(doubled.get(i), singles.get(i), tol, what + " batched twice");
      EncoderChecks.assertClose(
          doubled.get(texts.size() + i), singles.get(i), tol, what + " batched twice (2nd)");
      EncoderChecks.assertClose(
          encoder.encode(texts.get(i)), singles.get(i), tol, what + " via encode(String)");
    }
  }

  @Test
  void contractThreadSafetyConcurrentCallersGetTheSameVectors() throws Exception {
    List<String> texts = texts();
    List<float[]> singles = singles();
    float tol = tolerance();
    EncoderChecks.concurrently(
        threads(),
        worker -> {
          for (int round = 0; round < 8; round++) {
            // a different batch composition per worker and round
            int from = (worker + round) % texts.size();
            int size = 1 + (worker * 3 + round) % texts.size();
            List<String> batch = new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int j = 0; j < size; j++) {
              int k = (from + j) % texts.size();
              batch.add(texts.get(k));
              which.add(k);
            }
            List<float[]> got = encoder.encode(batch);
            assertThat(got).hasSize(batch.size());
            for (int j = 0; j < got.size(); j++) {
              EncoderChecks.assertClose(
                  got.get(j),
                  singles.get(which.get(j)),
                  tol,
                  "worker " + worker + " round " + round + " text '" + batch.get(j) + "'");
            }
          }
          return null;
        });
  }

  @Test
  void contractBadInputIsAnIllegalArgument() {
    String known = texts().get(0);
    assertThatThrownBy(() -> encoder.encode(List.of()))
        .as("empty batch")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(Arrays.asList(known, null)))
        .as("null text in a batch")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(List.of(known, " \t")))
        .as("blank text in a batch")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(""))
        .as("encode(\"\")")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode((String) null))
        .as("encode((String) null)")
        .isInstanceOf(IllegalArgumentException.class);
    // the encoder still works afterwards
    EncoderChecks.assertUnitVectors(
        encoder.encode(List.of(known)), 1, encoder.dim(), "after bad input");
  }
}
