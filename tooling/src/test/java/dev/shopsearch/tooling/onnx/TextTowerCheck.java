package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.SplittableRandom;

/** Checks an exported text tower against a plain-Java reference on random padded batches. */
final class TextTowerCheck {

  /** One row of the reference: the features of {@code ids} under {@code mask}. */
  interface Reference {
    float[] features(long[] ids, long[] mask);
  }

  private TextTowerCheck() {}

  static OrtSession session(byte[] model) throws OrtException {
    return OrtEnvironment.getEnvironment().createSession(model, new OrtSession.SessionOptions());
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /**
   * Runs the tower on batches of shape [1, 1], [1, 7], [3, 5] and [4, {@code longest}] (row 0 full,
   * the others padded to a random length; ids below 97, padding 0) and requires every row within
   * {@code tolerance} of {@code reference}.
   */
  static void matchesReference(
      byte[] tower, int width, int longest, Reference reference, double tolerance, String label)
      throws OrtException {
    SplittableRandom rnd = new SplittableRandom(9);
    try (OrtSession session = session(tower)) {
      assertThat(session.getInputNames()).containsExactly("input_ids", "attention_mask");
      assertThat(session.getOutputNames()).containsExactly("text_embeds");
      for (int[] shape :
          List.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {3, 5}, new int[] {4, longest})) {
        int batch = shape[0];
        int seq = shape[1];
        long[][] ids = new long[batch][seq];
        long[][] mask = new long[batch][seq];
        for (int b = 0; b < batch; b++) {
          int len = b == 0 ? seq : 1 + rnd.nextInt(seq);
          for (int s = 0; s < seq; s++) {
            ids[b][s] = s < len ? rnd.nextInt(97) : 0;
            mask[b][s] = s < len ? 1 : 0;
          }
        }
        float[][] got = ClipGraphWriterTest.runText(session, ids, mask);
        assertThat(got).hasNumberOfRows(batch);
        for (int b = 0; b < batch; b++) {
          assertThat(got[b]).hasSize(width);
          assertThat(maxDiff(got[b], reference.features(ids[b], mask[b])))
              .as("%s batch %d of [%d, %d]", label, b, batch, seq)
              .isLessThanOrEqualTo(tolerance);
        }
      }
    }
  }
}
