package dev.shopsearch.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.encode.ImageEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link ImageEncoder}, as tests that every implementation runs, fakes included (in
 * the spirit of Lucene's {@code BaseKnnVectorsFormatTestCase}): extend this class (a top-level or a
 * JUnit {@code @Nested} class) and implement {@link #newEncoder(Path)}.
 *
 * <ul>
 *   <li>shapes: {@link ImageEncoder#imageSize()} is positive, one vector of {@link
 *       ImageEncoder#dim()} floats per {@code float[3 * size * size]} image, in input order;
 *   <li>normalisation: every vector is finite with unit L2 norm;
 *   <li>batch = single: {@code encode(batch).get(i)} equals {@code encode(List.of(batch.get(i)))},
 *       in any batch composition and order, and on every call;
 *   <li>thread safety: concurrent callers on one instance get the single-threaded answers;
 *   <li>bad input: an empty batch, a null image or one of the wrong length is an {@link
 *       IllegalArgumentException}.
 * </ul>
 *
 * One encoder is created per test class and closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BaseImageEncoderTestCase {
  private Path dir;
  private ImageEncoder encoder;

  /**
   * A new encoder under test; the test case closes it.
   *
   * @param dir an empty directory for files the encoder needs (a model bundle), deleted afterwards
   */
  protected abstract ImageEncoder newEncoder(Path dir) throws Exception;

  /**
   * The preprocessed images fed to the encoder (CHW, {@code 3 * size * size} floats): by default
   * five seeded gaussian images, roughly what CLIP normalisation gives.
   */
  protected List<float[]> images(int size) {
    Random random = new Random(42);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      float[] px = new float[3 * size * size];
      for (int j = 0; j < px.length; j++) {
        px[j] = (float) random.nextGaussian();
      }
      out.add(px);
    }
    return out;
  }

  /** Element-wise tolerance when a vector is compared with the same image encoded elsewhere. */
  protected float tolerance() {
    return 1e-5f;
  }

  /** Concurrent callers in the thread-safety check. */
  protected int threads() {
    return 4;
  }

  /** The encoder under test. */
  protected final ImageEncoder encoder() {
    return encoder;
  }

  @BeforeAll
  final void openEncoder() throws Exception {
    dir = EncoderChecks.tempDir("image-encoder-contract");
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

  private List<float[]> images() {
    return images(encoder.imageSize());
  }

  private List<float[]> singles() {
    List<float[]> out = new ArrayList<>();
    for (float[] px : images()) {
      out.add(encoder.encode(List.of(px)).get(0));
    }
    return out;
  }

  @Test
  void contractShapesOneDimVectorPerImageInOrder() {
    assertThat(encoder.dim()).as("dim").isPositive();
    assertThat(encoder.imageSize()).as("imageSize").isPositive();
    List<float[]> images = images();
    assertThat(images).as("images()").hasSizeGreaterThanOrEqualTo(3);
    assertThat(images)
        .as("images() are 3 * size * size floats")
        .allSatisfy(px -> assertThat(px).hasSize(3 * encoder.imageSize() * encoder.imageSize()));
    EncoderChecks.assertUnitVectors(encoder.encode(images), images.size(), encoder.dim(), "batch");
  }

  @Test
  void contractNormalisationEveryVectorIsUnit() {
    EncoderChecks.assertUnitVectors(singles(), images().size(), encoder.dim(), "single images");
  }

  @Test
  void contractBatchEqualsSingle() {
    List<float[]> images = images();
    List<float[]> singles = singles();
    List<float[]> batch = encoder.encode(images);
    List<float[]> reversed = new ArrayList<>(images);
    Collections.reverse(reversed);
    List<float[]> backwards = encoder.encode(reversed);
    List<float[]> twice = new ArrayList<>(images);
    twice.addAll(images);
    List<float[]> doubled = encoder.encode(twice);
    float tol = tolerance();
    for (int i = 0; i < images.size(); i++) {
      String what = "image " + i;
      EncoderChecks.assertClose(batch.get(i), singles.get(i), tol, what + " in a batch");
      EncoderChecks.assertClose(
          backwards.get(images.size() - 1 - i), singles.get(i), tol, what + " in reverse order");
      EncoderChecks.assertClose(doubled.get(i), singles.get(i), tol, what + " batched twice");
      EncoderChecks.assertClose(
          doubled.get(images.size() + i), singles.get(i), tol, what + " batched twice (2nd)");
    }
  }

  @Test
  void contractThreadSafetyConcurrentCallersGetTheSameVectors() throws Exception {
    List<float[]> images = images();
    List<float[]> singles = singles();
    float tol = tolerance();
    EncoderChecks.concurrently(
        threads(),
        worker -> {
          for (int round = 0; round < 8; round++) {
            int from = (worker + round) % images.size();
            int size = 1 + (worker * 3 + round) % images.size();
            List<float[]> batch = new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int j = 0; j < size; j++) {
              int k = (from + j) % images.size();
              batch.add(images.get(k));
              which.add(k);
            }
            List<float[]> got = encoder.encode(batch);
            assertThat(got).hasSize(batch.size());
            for (int j = 0; j < got.size(); j++) {
              EncoderChecks.assertClose(
                  got.get(j),
                  singles.get(which.get(j)),
                  tol,
                  "worker " + worker + " round " + round + " image " + which.get(j));
            }
          }
          return null;
        });
  }

  @Test
  void contractBadInputIsAnIllegalArgument() {
    float[] good = images().get(0);
    int per = good.length;
    assertThatThrownBy(() -> encoder.encode(List.of()))
        .as("empty batch")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(Arrays.asList(good, null)))
        .as("null image in a batch")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(List.of(good, new float[per - 1])))
        .as("image one float short")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(List.of(new float[per + 3])))
        .as("image one pixel too long")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(List.of(new float[0])))
        .as("empty image")
        .isInstanceOf(IllegalArgumentException.class);
    // the encoder still works afterwards
    EncoderChecks.assertUnitVectors(
        encoder.encode(List.of(good)), 1, encoder.dim(), "after bad input");
  }
}
