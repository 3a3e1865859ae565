/**
 * Client-visible refusals ({@link dev.shopsearch.service.problem.ProblemException} and its kinds)
 * and the request errors every feature throws. A leaf: it depends on no other service package, so
 * that features can refuse requests and the web layer can answer them without either depending on
 * the other.
 */
package dev.shopsearch.service.problem;
