package dev.shopsearch.service.web;

import java.util.Map;

/**
 * Alternative names of request parameters: {@code color} for {@code colour}. {@link
 * ParameterAliasFilter} reads an alias as its parameter, {@link StrictParameters} lists it among
 * the accepted names and {@link WebConfiguration#apiDocsAliases()} documents it in the OpenAPI
 * description.
 */
final class ParameterAliases {
  /** Alias → parameter. */
  static final Map<String, String> ALIASES = Map.of("color", "colour");

  private ParameterAliases() {}
}
