package dev.soma.generator;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lands the raw tables on a warehouse of another engine (Spark with Iceberg tables), which the
 * generator cannot write to directly (it writes set-wise SQL and appends in the default engine): the
 * tables generated into a local database are each written to a Parquet file
 * ({@link dev.soma.core.engine.Engine#copyToParquet}) and read by the other engine into a table of the
 * same name ({@link dev.soma.core.engine.Engine#loadParquet}), one atomic step per table.
 *
 * <pre>{@code
 * try (Warehouse local = Warehouse.open(Files.createTempFile("raw", ".duckdb"));
 *      Warehouse spark = ...) {
 *     Generator.with(config).generate(local);
 *     RawLanding.land(local, spark, Path.of("target/raw-parquet"), false);
 * }
 * }</pre>
 *
 * <p>The five tables are replaced one by one, not in one transaction: a reader of the other warehouse
 * may see some new and some old tables while this runs, and a failure half-way leaves a mix; landing
 * again replaces all five. Each replacement is recorded ({@link TableReplacements}), as the generator does
 * on its own database, so incremental models built on the old rows rebuild in full: before the table is
 * loaded (a failure after the load cannot leave it unrecorded) and again after it (a build that ran
 * between the two, on the old rows, rebuilds too). {@code folder} must be readable by the other engine at the same path (any
 * folder for Spark's {@code local[N]}; shared storage for a cluster). Stateless.
 */
public final class RawLanding {

    private static final SqlOwner OWNER = SqlOwner.loader("raw landing");
    private static final String REPLACED_BY = "soma generate";

    private RawLanding() {
    }

    /**
     * Copies the five raw tables of {@code from} to {@code to}, through Parquet files in
     * {@code folder}/raw (left there).
     *
     * @param replace replace raw tables {@code to} already has; without, they are refused
     * @return the rows each table has on {@code to}
     * @throws RawTablesExistException when {@code to} has raw tables and {@code replace} is off; nothing is written
     */
    public static Map<RawTable, Long> land(Warehouse from, Warehouse to, Path folder, boolean replace) {
        Path dir = folder.resolve(RawTable.SCHEMA).toAbsolutePath().normalize();
        try (Session target = to.openSession()) {
            Set<String> names = java.util.Arrays.stream(RawTable.values()).map(RawTable::tableName).collect(Collectors.toSet());
            List<String> existing = to.engine().relations(target, List.of(RawTable.SCHEMA)).stream()
                    .map(CatalogEntry::name).filter(name -> names.contains(name.toLowerCase(Locale.ROOT)))
                    .map(name -> RawTable.SCHEMA + "." + name).sorted().toList();
            if (!existing.isEmpty() && !replace) {
                throw new RawTablesExistException(to.describe(), existing);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new SomaException(ErrorCode.FILE_ACCESS, "cannot create " + dir + " for the Parquet files: "
                        + e.getMessage() + "; choose another folder", e);
            }
            target.createSchema(RawTable.SCHEMA);
            Map<RawTable, Long> rows = new EnumMap<>(RawTable.class);
            for (RawTable table : RawTable.values()) {
                String file = dir.resolve(table.tableName() + ".parquet").toString();
                from.execute(OWNER, from.engine().copyToParquet("SELECT * FROM "
                        + from.engine().dialect().relation(RawTable.SCHEMA, table.tableName()), file));
                String relation = to.engine().dialect().relation(RawTable.SCHEMA, table.tableName());
                TableReplacements.recordReplaced(target, RawTable.SCHEMA, table.tableName(), REPLACED_BY);
                target.execute(OWNER, to.engine().loadParquet(relation, file));
                TableReplacements.recordReplaced(target, RawTable.SCHEMA, table.tableName(), REPLACED_BY);
                rows.put(table, target.queryLong(OWNER, "SELECT count(*) FROM " + relation));
            }
            return rows;
        }
    }
}
