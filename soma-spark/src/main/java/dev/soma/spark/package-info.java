/**
 * The Spark + Iceberg engine: a target with {@code engine: spark} runs the same project on an
 * in-process {@code SparkSession} ({@code master: local[N]} or a cluster URL) or on a Spark Connect
 * server ({@code remote: sc://host:port}), with models stored as Iceberg tables.
 *
 * <p>Only soma-core and soma-models are imported; nothing imports this module. It is found at run
 * time through {@link java.util.ServiceLoader} when its jars are on the classpath (docs/engines.md).
 */
package dev.soma.spark;
