/**
 * Internal: the text the generator draws from Datafaker, once, into small seeded lookup pools
 * (names, companies, countries, title words), which the SQL indexes by a hash of the row number.
 * Not API.
 */
package dev.soma.generator.text;
