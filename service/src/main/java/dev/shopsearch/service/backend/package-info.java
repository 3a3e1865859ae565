/**
 * Which search engine serves queries ({@code shopsearch.backend=lucene|opensearch}) and how the
 * OpenSearch one is reached ({@code shopsearch.opensearch.*}): provides the {@link
 * dev.shopsearch.core.search.SearchBackend} the search feature, the readiness and the lifecycle
 * use.
 */
package dev.shopsearch.service.backend;
