package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.catalog.FieldMapping;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --catalog} and {@code --mapping}, the catalog options of every command that reads one (a
 * picocli mixin). A command may give {@code --catalog} a default with a default-value provider.
 */
public final class CatalogOptions {

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "FILE",
      description = "Catalog file (.jsonl, .csv or .tsv).")
  Path catalog;

  @Option(
      names = "--mapping",
      defaultValue = "auto",
      paramLabel = "PRESET|FILE",
      description =
          "Field mapping: auto (detected from the header/keys), magentoLuma, myntra, or a JSON or"
              + " properties mapping file (default: ${DEFAULT-VALUE}).")
  String mapping;

  /** The catalog file. */
  public Path catalog() {
    return catalog;
  }

  /**
   * The field mapping {@code --mapping} names ({@link FieldMapping#resolve}).
   *
   * @throws UsageException when it is neither auto, a preset nor a valid mapping file
   * @throws IOException when the catalog cannot be read for detection
   */
  public FieldMapping mapping() throws IOException {
    try {
      return FieldMapping.resolve(mapping, catalog);
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--mapping: " + e.getMessage(), e);
    }
  }
}
