package dev.shopsearch.core.catalog;

import java.nio.file.Path;
import java.util.Locale;

/** Catalog file formats understood by {@link CatalogReader}. */
public enum CatalogFormat {
  /** One JSON object per line ({@code .jsonl}, {@code .ndjson}). */
  JSONL,
  /** RFC 4180 comma-separated values with a header row ({@code .csv}). */
  CSV,
  /** Like {@link #CSV} but tab-separated ({@code .tsv}). */
  TSV;

  /**
   * Chooses the format from the file name's extension (case-insensitive; a trailing {@code .gz} is
   * not supported).
   *
   * @throws IllegalArgumentException when the extension is not one of .jsonl, .ndjson, .csv, .tsv
   */
  public static CatalogFormat fromFileName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".tsv")) {
      return TSV;
    }
    throw new IllegalArgumentException(
        "cannot detect catalog format of '"
            + file.getFileName()
            + "': expected extension .jsonl, .ndjson, .csv or .tsv (or force a format)");
  }

  /**
   * Parses a format name ({@code jsonl}, {@code csv}, {@code tsv}; case-insensitive).
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static CatalogFormat parse(String name) {
    return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
      case "jsonl", "ndjson" -> JSONL;
      case "csv" -> CSV;
      case "tsv" -> TSV;
      default ->
          throw new IllegalArgumentException(
              "unknown catalog format '" + name + "'; expected jsonl, csv or tsv");
    };
  }

  /** The field delimiter for the CSV-like formats. */
  char delimiter() {
    return this == TSV ? '\t' : ',';
  }
}
