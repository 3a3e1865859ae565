package dev.shopsearch.core.index;

import java.util.Objects;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Codecs for writing a shopsearch index. The codec keeps Lucene's default name, so a reader opens
 * the index with the default codec: the per-field vector format is recorded in the segment and
 * found by name through Lucene's SPI.
 */
public final class IndexCodecs {
  private IndexCodecs() {}

  /** The HNSW vectors format for a vector format and graph parameters. */
  public static KnnVectorsFormat vectorsFormat(VectorFormat format, HnswParams hnsw) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(hnsw, "hnsw");
    if (!format.quantized()) {
      return new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.beamWidth());
    }
    return new Lucene104HnswScalarQuantizedVectorsFormat(
        format.encoding(), hnsw.m(), hnsw.beamWidth());
  }

  /**
   * A codec that writes {@link IndexSchema#VECTOR} and {@link IndexSchema#TEXT_VECTOR} with the
   * given format; every other field uses Lucene's defaults.
   */
  public static Codec codec(VectorFormat format, HnswParams hnsw) {
    KnnVectorsFormat vectors = vectorsFormat(format, hnsw);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return IndexSchema.VECTOR.equals(field) || IndexSchema.TEXT_VECTOR.equals(field)
            ? vectors
            : super.getKnnVectorsFormatForField(field);
      }
    };
  }
}
