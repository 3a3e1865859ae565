package dev.shopsearch.core.catalog;

/**
 * One item read from a catalog by {@link CatalogReader}: either an accepted {@link Product} or a
 * {@link Reject} explaining why a row was skipped. Use a pattern switch:
 *
 * <pre>{@code
 * switch (entry) {
 *   case Product p -> index(p);
 *   case Reject r -> report(r);
 * }
 * }</pre>
 */
public sealed interface CatalogEntry permits Product, Reject {

  /** 1-based line number in the catalog file where the row starts. */
  long row();
}
