/**
 * Test harness: forks one OpenSearch 3.4.0 node with the security plugin (TLS, basic auth) from the
 * Maven Central artifacts this module's build copies to {@code target/engine-lib} ({@link
 * dev.shopsearch.secureengine.SecuredNode}), so the clients' {@code https} + basic-auth path is
 * tested against a real secured cluster. Never on the runtime classpath of the service or the
 * indexer.
 */
package dev.shopsearch.secureengine;
