package dev.shopsearch.core.index;

import java.util.Arrays;
import java.util.Locale;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * How the image vectors of an index are stored on disk and searched. Every format builds an HNSW
 * graph; the quantised ones ({@code Lucene104HnswScalarQuantizedVectorsFormat}) search on quantised
 * vectors and keep the raw floats on disk too, so a reader can rescore the top candidates at full
 * precision ({@code RescoreTopNQuery.createFullPrecisionRescorerQuery}).
 *
 * <p>{@link #rescoreOversample()} is the factor by which a searcher should widen {@code k} before
 * rescoring (measured on 512-d clustered vectors, see {@code docs/benchmarks.md}); 1 means the
 * format needs no rescoring.
 */
public enum VectorFormat {
  /** 32-bit floats, {@code Lucene99HnswVectorsFormat} (Lucene's default). */
  FLOAT("float", null, 1),
  /** 8-bit scalar quantisation ({@code UNSIGNED_BYTE}). */
  INT8("int8", ScalarEncoding.UNSIGNED_BYTE, 2),
  /** 7-bit scalar quantisation ({@code SEVEN_BIT}). */
  INT7("int7", ScalarEncoding.SEVEN_BIT, 2),
  /** 4-bit scalar quantisation ({@code PACKED_NIBBLE}). */
  INT4("int4", ScalarEncoding.PACKED_NIBBLE, 4),
  /** 1-bit (binary) quantisation with 4-bit queries ({@code SINGLE_BIT_QUERY_NIBBLE}). */
  BINARY("binary", ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, 10);

  private final String key;
  private final ScalarEncoding encoding;
  private final int rescoreOversample;

  VectorFormat(String key, ScalarEncoding encoding, int rescoreOversample) {
    this.key = key;
    this.encoding = encoding;
    this.rescoreOversample = rescoreOversample;
  }

  /** The lower-case name used on the command line and in the commit user data. */
  public String key() {
    return key;
  }

  /** The Lucene scalar encoding, or {@code null} for {@link #FLOAT}. */
  public ScalarEncoding encoding() {
    return encoding;
  }

  /** Whether the HNSW graph is searched on quantised vectors. */
  public boolean quantized() {
    return encoding != null;
  }

  /** Candidate multiplier for full-precision rescoring; 1 for {@link #FLOAT}. */
  public int rescoreOversample() {
    return rescoreOversample;
  }

  /**
   * Parses a key ({@code float}, {@code int8}, {@code int7}, {@code int4}, {@code binary}; case
   * insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted keys
   */
  public static VectorFormat fromKey(String value) {
    if (value != null) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (VectorFormat f : values()) {
        if (f.key.equals(v)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "unknown vector format '%s'; expected one of %s",
            value,
            Arrays.stream(values()).map(VectorFormat::key).toList()));
  }
}
