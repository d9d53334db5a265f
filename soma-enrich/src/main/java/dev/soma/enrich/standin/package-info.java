/**
 * A local stand-in for Open Library and Google Books ({@link dev.soma.enrich.standin.StandInBookServer}): answers in
 * both services' shapes from generated {@code raw.books}, for {@code soma demo --enrich}, tests and benchmarks. Never
 * the real services; every answer says so.
 */
package dev.soma.enrich.standin;
