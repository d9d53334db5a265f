package dev.soma.generator;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.sql.BooksSql;
import dev.soma.generator.sql.CampaignEventsSql;
import dev.soma.generator.sql.InventorySql;
import dev.soma.generator.sql.Layout;
import dev.soma.generator.sql.Lookups;
import dev.soma.generator.sql.PublishersSql;
import dev.soma.generator.sql.SalesSql;
import dev.soma.generator.sql.TableSql;
import dev.soma.generator.text.TextPools;
import org.duckdb.DuckDBAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generates the raw tables into a warehouse.
 *
 * <pre>{@code
 * GenerationResult result = Generator.with(GenerationConfig.defaults().withScale(10))
 *         .listener(myProgressBar)
 *         .generate(warehouse);
 * }</pre>
 *
 * <p>How: every table is filled set-wise inside DuckDB, {@code INSERT … SELECT … FROM range(from, to)}
 * in chunks, each value a function of (seed, row number) through DuckDB's {@code hash}; text comes from
 * small Datafaker pools loaded once through the Appender. So the data does not depend on the thread
 * count, memory stays flat at any scale, and rows never cross JNI one by one.
 *
 * <p>The five tables are filled as staging tables ({@code raw._soma_next_*}) on a session of their own,
 * then swapped in together in one short transaction: readers see the previous tables until that
 * commit, and a failure or a killed process leaves them intact (a failure drops the staging tables; a
 * killed run's leftovers are dropped by the next run). Existing raw tables are replaced only when {@link GenerationConfig#replace()} is set;
 * otherwise {@link RawTablesExistException}. Other tables in schema {@code raw} are left alone.
 *
 * <p>{@link GenerationConfig#threads()} &gt; 0 sets DuckDB's {@code threads} for the duration; that
 * setting is database-wide in DuckDB, so other sessions of the same warehouse see it meanwhile. The
 * previous value is restored afterwards, and so is {@code preserve_insertion_order}, which the
 * generator turns on so that rows land in id order.
 *
 * <p>Immutable and thread-safe; one generation per warehouse at a time.
 */
public final class Generator {

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);
    private static final SqlOwner OWNER = SqlOwner.loader("generator");
    /** Rows per INSERT: 16 DuckDB row groups, so chunks fill whole row groups. */
    static final long CHUNK_ROWS = 122_880L * 16;

    private final GenerationConfig config;
    private final GenerationListener listener;
    private final long chunkRows;

    private Generator(GenerationConfig config, GenerationListener listener, long chunkRows) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.chunkRows = chunkRows;
    }

    /** A generator for {@code config}. */
    public static Generator with(GenerationConfig config) {
        return new Generator(config, GenerationListener.NONE, CHUNK_ROWS);
    }

    /** A copy that reports progress to {@code listener}. */
    public Generator listener(GenerationListener listener) {
        return new Generator(config, listener, chunkRows);
    }

    /** A copy that inserts {@code rows} rows per statement; for tests that prove chunking changes nothing. */
    Generator chunkRows(long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("chunk rows must be at least 1");
        }
        return new Generator(config, listener, rows);
    }

    /** The configuration this generator runs. */
    public GenerationConfig config() {
        return config;
    }

    /**
     * Writes the five raw tables, replacing them in one transaction.
     *
     * @throws RawTablesExistException if raw tables exist and {@code replace} is off; nothing is written
     * @throws dev.soma.core.error.SqlExecutionException if DuckDB fails; the previous tables stay intact
     */
    public GenerationResult generate(Warehouse warehouse) {
        long start = System.nanoTime();
        try (Session session = warehouse.openSession()) {
            refuseToOverwrite(warehouse, session);
            Map<RawTable, Long> planned = config.plannedRows();
            listener.started(planned);
            ExperimentDesign design = config.experimentDesign();
            Layout layout = new Layout(config.seed(), planned.get(RawTable.PUBLISHERS), planned.get(RawTable.BOOKS),
                    planned.get(RawTable.SALES), planned.get(RawTable.INVENTORY), planned.get(RawTable.CAMPAIGN_EVENTS),
                    config.asOf(), config.salesWindowDays(), config.lift(), design.experimentRows(),
                    design.experiments(), design.idWidth(), TextPools.forSeed(config.seed()));
            Map<RawTable, Duration> durations = new EnumMap<>(RawTable.class);
            List<String> restore = applySettings(session);
            try {
                session.execute(OWNER, "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(RawTable.SCHEMA));
                dropStaging(session);
                Lookups lookups = new Lookups(layout);
                loadLookups(session, lookups);
                for (RawTable table : RawTable.values()) {
                    session.execute(OWNER, "CREATE TABLE " + Layout.stagingTable(table.tableName())
                            + " (" + table.columnDefinitions() + ")");
                }
                for (RawTable table : RawTable.values()) {
                    durations.put(table, fill(session, table, sqlFor(table, layout, lookups)));
                }
                for (String statement : lookups.dropStatements()) {
                    session.execute(OWNER, statement);
                }
                swapIn(warehouse, session);
            } catch (RuntimeException e) {
                dropStagingQuietly(session, e);
                throw e;
            } finally {
                for (String statement : restore) {
                    session.execute(OWNER, statement);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            GenerationResult result = new GenerationResult(config, planned, durations, took, design);
            LOG.debug("generated {} rows in {} ms ({} rows/s) into {}", result.totalRows(), took.toMillis(),
                    Math.round(result.rowsPerSecond()), warehouse.describe());
            return result;
        }
    }

    /**
     * Replaces the raw tables by the staging tables in one transaction: readers see either all five old
     * tables or all five new ones. The tables are filled outside this transaction, each chunk committed
     * on its own, because DuckDB writes a large insert into a table created in the same transaction
     * about a third slower; a staging table is invisible under its own name until the swap.
     */
    private void swapIn(Warehouse warehouse, Session session) {
        session.inTransaction(OWNER, tx -> {
            refuseToOverwrite(warehouse, tx);
            for (RawTable table : RawTable.values()) {
                dropExisting(tx, table);
                tx.execute(OWNER, "ALTER TABLE " + Layout.stagingTable(table.tableName())
                        + " RENAME TO " + Identifiers.quote(table.tableName()));
                // Incremental models built on the old rows must rebuild in full: the engine reads this.
                TableReplacements.recordReplaced(tx, RawTable.SCHEMA, table.tableName(), "soma generate");
            }
            return null;
        });
    }

    /** Drops staging tables a killed run may have left behind. */
    private static void dropStaging(Session session) {
        for (RawTable table : RawTable.values()) {
            session.execute(OWNER, "DROP TABLE IF EXISTS " + Layout.stagingTable(table.tableName()));
        }
    }

    private static void dropStagingQuietly(Session session, RuntimeException failure) {
        try {
            dropStaging(session);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static TableSql sqlFor(RawTable table, Layout layout, Lookups lookups) {
        return switch (table) {
            case BOOKS -> new BooksSql(layout, lookups);
            case PUBLISHERS -> new PublishersSql(layout, lookups);
            case SALES -> new SalesSql(layout);
            case INVENTORY -> new InventorySql(layout);
            case CAMPAIGN_EVENTS -> new CampaignEventsSql(layout);
        };
    }

    private Duration fill(Session session, RawTable table, TableSql sql) {
        long tableStart = System.nanoTime();
        for (String statement : sql.prepare()) {
            session.execute(OWNER, statement);
        }
        long rows = sql.rows();
        for (long from = 0; from < rows; from += chunkRows) {
            long to = Math.min(rows, from + chunkRows);
            session.execute(OWNER, Lookups.rowsStatement(from, to));
            session.execute(new SqlOwner("loader", "generator (" + table.qualifiedName() + ")"), sql.insert(from, to));
            listener.progressed(table, to, rows);
        }
        for (String statement : sql.finish()) {
            session.execute(OWNER, statement);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - tableStart);
        LOG.debug("{}: {} rows in {} ms", table.qualifiedName(), rows, took.toMillis());
        listener.tableFinished(table, rows, took);
        return took;
    }

    private static void loadLookups(Session session, Lookups lookups) {
        for (String statement : lookups.createStatements()) {
            session.execute(OWNER, statement);
        }
        try {
            appendLookups(session, lookups);
        } catch (SQLException e) {
            throw new SqlExecutionException(OWNER, "APPEND INTO temp." + Lookups.POOL_TABLE, e);
        }
        for (String statement : lookups.statements()) {
            session.execute(OWNER, statement);
        }
    }

    private static void appendLookups(Session tx, Lookups lookups) throws SQLException {
        try (DuckDBAppender appender = tx.duckdb().createAppender("temp", "main", Lookups.POOL_TABLE)) {
            for (Map.Entry<String, List<String>> pool : lookups.poolRows().entrySet()) {
                List<String> values = pool.getValue();
                for (int i = 0; i < values.size(); i++) {
                    appender.beginRow().append(pool.getKey()).append(i).append(values.get(i)).endRow();
                }
            }
        }
        try (DuckDBAppender appender = tx.duckdb().createAppender("temp", "main", Lookups.SLOT_TABLE)) {
            int[] days = lookups.slotRows();
            for (int slot = 0; slot < days.length; slot++) {
                appender.beginRow().append(slot).append(days[slot]).endRow();
            }
        }
    }

    private void refuseToOverwrite(Warehouse warehouse, Session session) {
        if (config.replace()) {
            return;
        }
        List<String> existing = new ArrayList<>();
        for (RawTable table : RawTable.values()) {
            if (session.relationExists(RawTable.SCHEMA, table.tableName())) {
                existing.add(table.qualifiedName());
            }
        }
        if (!existing.isEmpty()) {
            throw new RawTablesExistException(warehouse.describe(), existing);
        }
    }

    private static void dropExisting(Session tx, RawTable table) {
        String type = tx.relationType(RawTable.SCHEMA, table.tableName());
        if (type != null) {
            tx.execute(OWNER, ("view".equals(type) ? "DROP VIEW " : "DROP TABLE ") + qualified(table));
        }
    }

    /** Sets threads and insertion order for the generation; returns the statements that undo it. */
    private List<String> applySettings(Session session) {
        List<String> restore = new ArrayList<>();
        String order = currentSetting(session, "preserve_insertion_order");
        if (!"true".equalsIgnoreCase(order)) {
            session.execute(OWNER, "SET preserve_insertion_order = true");
            restore.add("SET preserve_insertion_order = " + order);
        }
        if (config.threads() > 0) {
            String threads = currentSetting(session, "threads");
            session.execute(OWNER, "SET threads = " + config.threads());
            restore.add("SET threads = " + threads);
        }
        return restore;
    }

    private static String currentSetting(Session session, String name) {
        return session.query(OWNER, "SELECT current_setting(" + Identifiers.literal(name) + ")::VARCHAR", rs -> {
            rs.next();
            return rs.getString(1);
        });
    }

    private static String qualified(RawTable table) {
        return Identifiers.qualify(RawTable.SCHEMA, table.tableName());
    }
}
