package dev.shopsearch.core.text;

import java.util.Locale;

/**
 * A tokenised batch, right-padded to its longest member.
 *
 * @param ids token ids, row-major {@code [batch, seqLen]}; padded positions hold the tokenizer's
 *     pad id
 * @param mask attention mask, row-major {@code [batch, seqLen]}: 1 for real tokens, 0 for padding
 * @param batch number of rows
 * @param seqLen columns per row (the longest member's length)
 */
public record TokenBatch(long[] ids, long[] mask, int batch, int seqLen) {
  public TokenBatch {
    if (batch < 1 || seqLen < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "batch and seqLen must be >= 1; batch=%d seqLen=%d", batch, seqLen));
    }
    long cells = (long) batch * seqLen;
    if (ids.length != cells || mask.length != cells) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "ids and mask must hold batch*seqLen=%d values; ids=%d mask=%d",
              cells,
              ids.length,
              mask.length));
    }
  }

  /** Number of real (unpadded) tokens in row {@code row}. */
  public int length(int row) {
    int n = 0;
    for (int t = row * seqLen, end = t + seqLen; t < end; t++) {
      n += (int) mask[t];
    }
    return n;
  }

  /** The real token ids of row {@code row}, without padding. */
  public long[] row(int row) {
    long[] out = new long[length(row)];
    System.arraycopy(ids, row * seqLen, out, 0, out.length);
    return out;
  }
}
