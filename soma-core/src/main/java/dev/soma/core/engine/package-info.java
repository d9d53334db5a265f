/**
 * The engine seam: everything whose SQL or behaviour differs between the engines Soma runs on.
 *
 * <p>An {@link dev.soma.core.engine.Engine} (one class per engine, found by name through a
 * {@link dev.soma.core.engine.EngineProvider} on the class path) renders identifiers and relations
 * through its {@link dev.soma.core.engine.Dialect}, spells the DDL of each materialization, the
 * incremental strategies, the data-test and dedup queries, row fingerprints and metadata lookups, and
 * says what the engine can do ({@link dev.soma.core.engine.Engine#supportsTransactions()},
 * {@link dev.soma.core.engine.Engine#supportsViews()}). Statements still run through a
 * {@link dev.soma.core.warehouse.Session} (a JDBC connection): the seam is SQL text and capabilities,
 * not a second execution API.
 *
 * <p>Nothing in this package names an engine; docs/engines.md lists the engines and how they differ.
 */
package dev.soma.core.engine;
