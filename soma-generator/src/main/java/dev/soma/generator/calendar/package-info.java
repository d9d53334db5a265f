/**
 * Internal: the distribution of sale dates over the sales window (Q4 seasonality, weekday effect),
 * as an inverse-CDF slot table the SQL indexes by a hash of the row number. Not API.
 */
package dev.soma.generator.calendar;
