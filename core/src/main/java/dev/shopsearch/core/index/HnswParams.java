package dev.shopsearch.core.index;

import java.util.Locale;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * HNSW graph construction parameters.
 *
 * @param m maximum connections per node (Lucene's {@code maxConn}), in [1, 512]
 * @param beamWidth candidate list size while building the graph, in [1, 3200]
 */
public record HnswParams(int m, int beamWidth) {

  /** Lucene's defaults: M = 16, beam width = 100. */
  public static final HnswParams DEFAULT =
      new HnswParams(
          Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);

  public HnswParams {
    if (m < 1 || m > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "HNSW m must be in [1, %d]; m=%d",
              Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN,
              m));
    }
    if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "HNSW beam width must be in [1, %d]; beamWidth=%d",
              Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH,
              beamWidth));
    }
  }
}
