/**
 * Image bytes for the indexer (catalog images) and the service (search by image URL): {@link
 * dev.shopsearch.core.fetch.ImageSource} reads catalog-relative paths confined to the catalog root
 * and fetches http(s) URLs with timeouts, retries, a size cap, an optional host allow-list and SSRF
 * checks on every redirect hop ({@link dev.shopsearch.core.fetch.AddressPolicy}). Failures are
 * {@link dev.shopsearch.core.fetch.FetchException}s with a {@link
 * dev.shopsearch.core.fetch.FetchException.Reason}.
 */
package dev.shopsearch.core.fetch;
