/**
 * Catalog input shared by the indexer and the trainer: {@link
 * dev.shopsearch.core.catalog.CatalogReader} streams a JSONL/CSV/TSV file through a {@link
 * dev.shopsearch.core.catalog.FieldMapping} into {@link dev.shopsearch.core.catalog.Product}s and
 * {@link dev.shopsearch.core.catalog.Reject}s (the two kinds of {@link
 * dev.shopsearch.core.catalog.CatalogEntry}). A bad row is one reject, never a failed run.
 *
 * <p>Reject policy, in the order checked: unparseable row ({@code MALFORMED}/{@code TOO_LONG}),
 * blank id ({@code MISSING_ID}), id longer than its {@link dev.shopsearch.core.catalog.FieldLimits
 * limit} ({@code FIELD_TOO_LONG}), id of an earlier accepted row ({@code DUPLICATE_ID}), price not
 * a finite non-negative plain decimal ({@code BAD_PRICE}), unknown in-stock word or a JSON
 * object/array where text is expected ({@code BAD_VALUE}), name, description, colour, a category
 * path, an attribute value or an image reference longer than its limit ({@code FIELD_TOO_LONG},
 * with {@link dev.shopsearch.core.catalog.Reject#limit()} naming the field, the length and the
 * limit), no image reference while the mapping requires images ({@code NO_IMAGES}; the presets do,
 * since an image-less product cannot be found by image).
 */
package dev.shopsearch.core.catalog;
