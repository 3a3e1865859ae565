package dev.shopsearch.indexer.cache;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A persistent embedding cache in a small Lucene index on disk: one document per (namespace, image
 * hash) with the vector as stored little-endian float bytes. Lookups are term lookups through a
 * near-real-time searcher, so memory stays flat whatever the number of cached images. Crash-safe:
 * entries become durable at {@link #commit()}; a crash loses only uncommitted entries. One process
 * at a time (Lucene's write lock). Thread-safe.
 */
public final class LuceneEmbeddingCache implements EmbeddingCache {
  private static final String KEY = "key";
  private static final String VECTOR = "vector";
  private static final int REFRESH_EVERY = 256;

  private final Directory dir;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final String namespace;
  private final int dim;
  private final AtomicLong putsSinceRefresh = new AtomicLong();

  private LuceneEmbeddingCache(Directory dir, IndexWriter writer, String namespace, int dim)
      throws IOException {
    this.dir = dir;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    this.namespace = namespace;
    this.dim = dim;
  }

  /**
   * Opens (or creates) a cache directory.
   *
   * @param namespace model namespace, from {@link #namespace(BundleManifest)}
   * @param dim vector dimension; a cached vector of another length is treated as a miss
   */
  public static LuceneEmbeddingCache open(Path path, String namespace, int dim) throws IOException {
    Files.createDirectories(path);
    Directory dir = FSDirectory.open(path);
    try {
      IndexWriter writer =
          new IndexWriter(
              dir,
              new IndexWriterConfig()
                  .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                  .setRAMBufferSizeMB(32));
      return new LuceneEmbeddingCache(dir, writer, namespace, dim);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /**
   * The cache namespace of a bundle: a hash of its content hash (or name and version when it has
   * none) and its image preprocessing, so that vectors of another model or preprocessing are never
   * reused.
   */
  public static String namespace(BundleManifest bundle) {
    ImageSpec spec = bundle.imageSpec();
    String identity =
        String.format(
            Locale.ROOT,
            "%s|%s|%s|%d|%s",
            bundle.contentHash() == null || bundle.contentHash().isBlank()
                ? bundle.name() + "@" + bundle.version()
                : bundle.contentHash(),
            spec == null ? "-" : spec.size(),
            spec == null ? "-" : spec.resize() + "|" + spec.centerCrop(),
            bundle.dim(),
            spec == null ? "-" : Arrays.toString(spec.mean()) + Arrays.toString(spec.std()));
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public float[] get(String imageHash) throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      TopDocs top = s.search(new TermQuery(new Term(KEY, key(imageHash))), 1);
      if (top.scoreDocs.length == 0) {
        return null;
      }
      BytesRef bytes = s.storedFields().document(top.scoreDocs[0].doc).getBinaryValue(VECTOR);
      if (bytes == null || bytes.length != dim * Float.BYTES) {
        return null;
      }
      float[] v = new float[dim];
      ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(v);
      return v;
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public void put(String imageHash, float[] vector) throws IOException {
    if (vector.length != dim) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "cache vector has %d floats; expected dim=%d", vector.length, dim));
    }
    ByteBuffer buf = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(vector);
    String key = key(imageHash);
    Document doc = new Document();
    doc.add(new StringField(KEY, key, Field.Store.NO));
    doc.add(new StoredField(VECTOR, buf.array()));
    writer.updateDocument(new Term(KEY, key), doc);
    if (putsSinceRefresh.incrementAndGet() >= REFRESH_EVERY) {
      putsSinceRefresh.set(0);
      searchers.maybeRefresh();
    }
  }

  /** Number of cached vectors (all namespaces) as of the last refresh. */
  public int size() throws IOException {
    searchers.maybeRefreshBlocking();
    IndexSearcher s = searchers.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public void commit() throws IOException {
    writer.commit();
    searchers.maybeRefresh();
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
      writer.commit();
      writer.close();
    } finally {
      dir.close();
    }
  }

  private String key(String imageHash) {
    return namespace + ":" + imageHash;
  }
}
