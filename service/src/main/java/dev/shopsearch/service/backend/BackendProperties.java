package dev.shopsearch.service.backend;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shopsearch.backend}: the engine searched.
 *
 * @param backend {@code lucene} (default) or {@code opensearch}
 */
@ConfigurationProperties("shopsearch")
public record BackendProperties(@DefaultValue("lucene") BackendKind backend) {}
