/**
 * Starting a Spark session from a target: {@link dev.soma.spark.session.SparkTarget} reads the
 * target's keys, {@link dev.soma.spark.session.SparkSessions} starts an in-process session or
 * connects to a Spark Connect server, with the session pinned to UTC and Iceberg's SQL extensions on.
 */
package dev.soma.spark.session;
