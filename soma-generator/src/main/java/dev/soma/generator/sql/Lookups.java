package dev.soma.generator.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one-row temporary table {@code soma_gen_lookup} that the tables' SQL cross-joins: a list
 * column per text pool; and the one-row {@code soma_gen_calendar} with the sales calendar's slot
 * table, which only sales cross-join. Cross-joining one row keeps the big side (the chunk of row
 * numbers) the probe side, so rows stay in order; list literals in the SQL text would be re-cast on
 * every vector and are far slower. The cross product copies the one row's lists into every vector of
 * 2,048 rows, so what is cross-joined is kept small: the calendar apart from the pools, its days as
 * {@code SMALLINT} (benchmarks/README.md section 14, issue 28).
 *
 * <p>The pools arrive through the Appender into {@value #POOL_TABLE} and {@value #SLOT_TABLE}
 * (see {@link #poolRows} and {@link #slotRows}); {@link #statements()} then folds them into lists.
 */
public final class Lookups {

    /** Temporary table of (pool, idx, value), filled by the Appender. */
    public static final String POOL_TABLE = "soma_gen_pool";
    /** Temporary table of (slot, day), filled by the Appender. */
    public static final String SLOT_TABLE = "soma_gen_slot";
    /** The one-row table of lists. */
    static final String LOOKUP_TABLE = "soma_gen_lookup";
    /** The one-row table of the calendar's {@code day_slots}. */
    static final String CALENDAR_TABLE = "soma_gen_calendar";
    /** The current chunk's row numbers. */
    static final String ROWS_TABLE = "soma_gen_rows";

    private final Layout layout;

    public Lookups(Layout layout) {
        this.layout = layout;
    }

    /** Creates the two temporary tables the Appender fills, and the macros. */
    public List<String> createStatements() {
        List<String> statements = new ArrayList<>(layout.random.macros());
        statements.add(Isbn.macro());
        statements.add("CREATE OR REPLACE TEMP TABLE " + POOL_TABLE + " (pool VARCHAR, idx INTEGER, value VARCHAR)");
        statements.add("CREATE OR REPLACE TEMP TABLE " + SLOT_TABLE + " (slot INTEGER, day INTEGER)");
        return statements;
    }

    /** The pools as (pool name, index, value) rows for {@value #POOL_TABLE}. */
    public Map<String, List<String>> poolRows() {
        return layout.pools.pools();
    }

    /** The calendar's slot table: entry s is the day offset of slot s, for {@value #SLOT_TABLE}. */
    public int[] slotRows() {
        return layout.calendar.slotDays();
    }

    /** Folds the appended rows into the two one-row lookup tables, then drops them. */
    public List<String> statements() {
        List<String> columns = new ArrayList<>();
        for (String pool : layout.pools.pools().keySet()) {
            columns.add("(SELECT list(value ORDER BY idx) FROM " + POOL_TABLE + " WHERE pool = '" + pool + "') AS " + pool);
        }
        // day offsets are below salesWindowDays: two bytes each whenever they fit, half the copying of INTEGER
        String day = layout.salesWindowDays <= Short.MAX_VALUE ? "day::SMALLINT" : "day";
        return List.of("CREATE OR REPLACE TEMP TABLE " + LOOKUP_TABLE + " AS SELECT " + String.join(", ", columns),
                "CREATE OR REPLACE TEMP TABLE " + CALENDAR_TABLE + " AS SELECT list(" + day + " ORDER BY slot) AS day_slots"
                        + " FROM " + SLOT_TABLE,
                "DROP TABLE " + POOL_TABLE, "DROP TABLE " + SLOT_TABLE);
    }

    /** Drops everything temporary (the session closing would too; this keeps a reused session clean). */
    public List<String> dropStatements() {
        return List.of("DROP TABLE IF EXISTS " + LOOKUP_TABLE, "DROP TABLE IF EXISTS " + CALENDAR_TABLE,
                "DROP TABLE IF EXISTS " + ROWS_TABLE);
    }

    /** {@code l.pool[1 + pick]}: a value of {@code pool} chosen by stream {@code k} of row {@code row}. */
    String pick(String pool, String row, int k) {
        return "l." + pool + "[1 + soma_pick(" + row + ", " + k + ", " + layout.pools.size(pool) + ")]";
    }

    /** Like {@link #pick} but with an explicit index expression (0-based). */
    static String at(String pool, String index) {
        return "l." + pool + "[1 + " + index + "]";
    }

    /**
     * The statement that materialises a chunk's row numbers {@code [from, to)} into {@value #ROWS_TABLE}.
     * DuckDB's {@code range} is a single-threaded source; a table scan is split across threads by row
     * group, so everything downstream (the expressions, and compressing and writing the strings, which
     * costs most in a file database) runs on every thread. The scan keeps row order all the same.
     */
    public static String rowsStatement(long from, long to) {
        return "CREATE OR REPLACE TEMP TABLE " + ROWS_TABLE + " AS SELECT range AS i FROM range(" + from + ", " + to + ")";
    }

    /** The FROM clause of a chunk: its row numbers as {@code alias}, cross-joined with the lookup row as {@code l}. */
    static String from(String alias) {
        return rows(alias) + " CROSS JOIN " + LOOKUP_TABLE + " l";
    }

    /** The chunk's row numbers as column {@code alias}. */
    static String rows(String alias) {
        return ROWS_TABLE + " r(" + alias + ")";
    }
}
