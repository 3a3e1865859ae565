package dev.shopsearch.service.overload;

/** What an over-full or late request gets ({@code shopsearch.overload.on-overload}). */
public enum OverloadPolicy {
  /** 503 + Retry-After. */
  SHED,
  /** Lexical-only results with {@code degraded: true}. */
  LEXICAL
}
