package dev.shopsearch.core.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams a catalog file (JSONL, CSV or TSV) through a {@link FieldMapping} into {@link
 * CatalogEntry} items: accepted {@link Product}s and {@link Reject}s, in file order.
 *
 * <p>Malformed rows never stop the run: bad JSON, a wrong CSV field count, a missing id, a
 * non-numeric price, a duplicate id (the first accepted row wins), a value longer than its {@link
 * FieldLimits limit} or a row without images (when {@link FieldMapping#requireImages()}) each
 * become one {@link Reject}. Only a catalog that cannot be read at all fails: an unknown format, an
 * empty or malformed CSV header, a CSV header lacking a mapped column ({@link
 * IllegalArgumentException} at open), or an I/O error ({@link UncheckedIOException} while
 * iterating).
 *
 * <p>Memory: one record at a time, each bounded by {@link Options#maxRecordChars()}, plus about 13
 * bytes per accepted id for duplicate detection. Input is decoded as UTF-8 (invalid bytes become
 * U+FFFD); a leading byte-order mark is ignored.
 *
 * <p>Not thread-safe: iterate from one thread. Close it (or the {@link #stream()}) when done; it
 * also closes itself at the end of input.
 */
public final class CatalogReader implements Iterator<CatalogEntry>, Closeable {

  /** Default limit on one record: 1 Mi characters. */
  public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;

  /**
   * How a catalog is read.
   *
   * @param format the format, or {@code null} to choose it from the file extension
   * @param maxRecordChars longest record (JSON line or CSV record) accepted; longer ones are
   *     rejected as {@link Reject.Kind#TOO_LONG}. At least 16.
   * @param fieldLimits longest value per product field; longer ones are rejected as {@link
   *     Reject.Kind#FIELD_TOO_LONG} ({@code null}: {@link FieldLimits#defaults()})
   */
  public record Options(CatalogFormat format, int maxRecordChars, FieldLimits fieldLimits) {
    public Options {
      if (maxRecordChars < 16) {
        throw new IllegalArgumentException(
            "maxRecordChars must be >= 16; maxRecordChars=" + maxRecordChars);
      }
      fieldLimits = fieldLimits == null ? FieldLimits.defaults() : fieldLimits;
    }

    /** Format by extension, {@link #DEFAULT_MAX_RECORD_CHARS}, {@link FieldLimits#defaults()}. */
    public static Options defaults() {
      return new Options(null, DEFAULT_MAX_RECORD_CHARS, FieldLimits.defaults());
    }

    public Options withFormat(CatalogFormat format) {
      return new Options(format, maxRecordChars, fieldLimits);
    }

    public Options withMaxRecordChars(int maxRecordChars) {
      return new Options(format, maxRecordChars, fieldLimits);
    }

    public Options withFieldLimits(FieldLimits fieldLimits) {
      return new Options(format, maxRecordChars, fieldLimits);
    }
  }

  /** Rows accepted and rejected so far. */
  public record Counts(long accepted, long rejected) {
    public long total() {
      return accepted + rejected;
    }
  }

  private final RecordSource source;
  private final ProductMapper mapper;
  private final CatalogFormat format;
  private CatalogEntry next;
  private boolean closed;
  private long accepted;
  private long rejected;

  private CatalogReader(
      RecordSource source, FieldMapping mapping, FieldLimits limits, CatalogFormat format) {
    this.source = source;
    this.mapper = new ProductMapper(mapping, limits);
    this.format = format;
  }

  /** Opens {@code file} with the format given by its extension. */
  public static CatalogReader open(Path file, FieldMapping mapping) throws IOException {
    return open(file, mapping, Options.defaults());
  }

  /** Opens {@code file}; {@code options.format()} forces a format when non-null. */
  public static CatalogReader open(Path file, FieldMapping mapping, Options options)
      throws IOException {
    CatalogFormat format =
        options.format() != null ? options.format() : CatalogFormat.fromFileName(file);
    Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
    try {
      return open(reader, format, mapping, options);
    } catch (RuntimeException | IOException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * Reads a catalog from a character stream (e.g. an upload); the reader is closed with this
   * object.
   */
  public static CatalogReader open(Reader reader, CatalogFormat format, FieldMapping mapping)
      throws IOException {
    return open(reader, format, mapping, Options.defaults());
  }

  private static CatalogReader open(
      Reader reader, CatalogFormat format, FieldMapping mapping, Options options)
      throws IOException {
    int maxRecordChars = options.maxRecordChars();
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(mapping, "mapping");
    RecordSource source;
    if (format == CatalogFormat.JSONL) {
      source = new JsonlRecordSource(reader, maxRecordChars);
    } else {
      CsvRecordSource csv = new CsvRecordSource(reader, format.delimiter(), maxRecordChars);
      checkHeader(csv.header(), mapping);
      source = csv;
    }
    return new CatalogReader(source, mapping, options.fieldLimits(), format);
  }

  private static void checkHeader(List<String> header, FieldMapping mapping) {
    List<String> missing = new ArrayList<>();
    for (String field : mapping.referencedFields()) {
      if (!header.contains(field)) {
        missing.add(field);
      }
    }
    for (String field : mapping.imagePatternFields()) {
      if (!header.contains(field) && !missing.contains(field)) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "CSV header lacks mapped column(s) %s; header has %s", missing, header));
    }
  }

  /** The format being read. */
  public CatalogFormat format() {
    return format;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    try {
      RawRecord record = source.next();
      if (record == null) {
        close();
        return false;
      }
      next = mapper.map(record);
    } catch (IOException e) {
      closeQuietly();
      throw new UncheckedIOException("reading catalog failed: " + e.getMessage(), e);
    }
    if (next instanceof Product) {
      accepted++;
    } else {
      rejected++;
    }
    return true;
  }

  @Override
  public CatalogEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException("catalog has no more rows");
    }
    CatalogEntry entry = next;
    next = null;
    return entry;
  }

  /** The remaining entries as a sequential stream; closing the stream closes this reader. */
  public Stream<CatalogEntry> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                this, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
            false)
        .onClose(this::closeQuietly);
  }

  /** The remaining accepted products; each reject is handed to {@code onReject} as it is met. */
  public Stream<Product> products(Consumer<? super Reject> onReject) {
    return stream()
        .mapMulti(
            (entry, sink) -> {
              switch (entry) {
                case Product p -> sink.accept(p);
                case Reject r -> onReject.accept(r);
              }
            });
  }

  /** Rows accepted and rejected so far. */
  public Counts counts() {
    return new Counts(accepted, rejected);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      source.close();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      // Nothing useful to do: the data has been read or the read already failed.
    }
  }

  /**
   * The SHA-256 of the catalog file's bytes as 64 lower-case hex digits, for the index metadata.
   * Streams the file in constant memory.
   */
  public static String catalogChecksum(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      byte[] buf = new byte[64 * 1024];
      while (in.read(buf) >= 0) {
        // digesting
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
