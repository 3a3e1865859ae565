package dev.shopsearch.indexer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.catalog.Reject;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records rejects: one JSON line per reject in a file (when given), a log line each, and counts by
 * stage and kind. Stages: {@code catalog} (the row could not be read), {@code product} (no image of
 * the product was usable: the product is left out), {@code image} (one image left out, the product
 * kept). Thread-safe.
 */
public final class RejectLog implements Closeable, ProductRefusals {
  private static final Logger LOG = LoggerFactory.getLogger(RejectLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter out;
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final AtomicLong productRejects = new AtomicLong();
  private final AtomicLong imageRejects = new AtomicLong();

  /**
   * @param file JSONL output, or {@code null} to only count and log
   */
  public RejectLog(Path file) throws IOException {
    if (file != null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } else {
      out = null;
    }
  }

  /** A catalog row the reader rejected. */
  public void catalog(Reject r) {
    productRejects.incrementAndGet();
    ObjectNode n = node(r.row(), r.id(), "catalog", r.kind().name(), r.reason());
    if (r.limit() != null) {
      n.put("field", r.limit().field());
      n.put("length", r.limit().length());
      n.put("limit", r.limit().limit());
    }
    n.put("snippet", r.rawSnippet());
    write(n);
  }

  /** A product left out because none of its images could be used. */
  public void product(long row, String id, String kind, String image, String reason) {
    productRejects.incrementAndGet();
    ObjectNode n = node(row, id, "product", kind, reason);
    n.put("image", image);
    write(n);
  }

  /**
   * A product the index backend refused ({@code stage=product}, {@code kind=INDEX_REFUSED}); the
   * run goes on without it.
   */
  @Override
  public void refused(Product product, String reason) {
    product(product.row(), product.id(), INDEX_REFUSED, null, reason);
  }

  /** One image left out; the product is indexed with its other images. */
  public void image(long row, String id, String kind, String image, String reason) {
    imageRejects.incrementAndGet();
    ObjectNode n = node(row, id, "image", kind, reason);
    n.put("image", image);
    write(n);
  }

  /** Rejected products (catalog rows and products without a usable image). */
  public long productRejects() {
    return productRejects.get();
  }

  /** Images left out of products that were kept. */
  public long imageRejects() {
    return imageRejects.get();
  }

  /** Counts by {@code stage:kind}, sorted. */
  public Map<String, Long> countsByKind() {
    Map<String, Long> m = new TreeMap<>();
    byKind.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  private ObjectNode node(long row, String id, String stage, String kind, String reason) {
    byKind.computeIfAbsent(stage + ":" + kind, k -> new LongAdder()).increment();
    LOG.warn("reject row {} id {} [{}:{}]: {}", row, id, stage, kind, reason);
    ObjectNode n = JSON.createObjectNode();
    n.put("row", row);
    n.put("id", id);
    n.put("stage", stage);
    n.put("kind", kind);
    n.put("reason", reason);
    return n;
  }

  private void write(ObjectNode n) {
    if (out == null) {
      return;
    }
    synchronized (out) {
      try {
        out.write(JSON.writeValueAsString(n));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write rejects file", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      synchronized (out) {
        out.close();
      }
    }
  }
}
