/**
 * The search backend seam: what an engine does for one query ({@link
 * dev.shopsearch.core.search.ProductIndexView}) and how the service gets a view of the served
 * generation ({@link dev.shopsearch.core.search.SearchBackend}). The embedded Lucene index and
 * OpenSearch implement it; ranking fusion, paging, cursors and facet presentation stay in the
 * service, above the seam, and are the same on both.
 */
package dev.shopsearch.core.search;
