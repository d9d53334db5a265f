package dev.soma.spark.engine;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.Column;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Metadata on Spark, which has no {@code information_schema}: {@code SHOW NAMESPACES},
 * {@code SHOW TABLES}, {@code SHOW VIEWS} (only on catalogs that keep views) and {@code DESCRIBE TABLE}.
 * A missing namespace answers "nothing there" rather than Spark's error.
 */
final class SparkCatalogQueries {

    private static final SqlOwner CATALOG = SqlOwner.soma("catalog");

    private final SparkDialect dialect;
    private final boolean views;

    SparkCatalogQueries(SparkDialect dialect, boolean views) {
        this.dialect = dialect;
        this.views = views;
    }

    RelationKind relationKind(Session session, String schema, String name) {
        if (!namespaceExists(session, schema)) {
            return null;
        }
        String like = " LIKE " + dialect.literal(name);
        if (!session.queryList(CATALOG, "SHOW TABLES IN " + dialect.namespace(schema) + like, rs -> rs.getString(2))
                .stream().filter(table -> table.equalsIgnoreCase(name)).toList().isEmpty()) {
            return RelationKind.TABLE;
        }
        if (views && !session.queryList(CATALOG, "SHOW VIEWS IN " + dialect.namespace(schema) + like, rs -> rs.getString(2))
                .stream().filter(view -> view.equalsIgnoreCase(name)).toList().isEmpty()) {
            return RelationKind.VIEW;
        }
        return null;
    }

    List<CatalogEntry> relations(Session session, Collection<String> schemas) {
        List<CatalogEntry> entries = new ArrayList<>();
        for (String schema : schemas) {
            if (!namespaceExists(session, schema)) {
                continue;
            }
            session.queryList(CATALOG, "SHOW TABLES IN " + dialect.namespace(schema), rs -> rs.getString(2))
                    .forEach(table -> entries.add(new CatalogEntry(schema, table, RelationKind.TABLE)));
            if (views) {
                session.queryList(CATALOG, "SHOW VIEWS IN " + dialect.namespace(schema), rs -> rs.getString(2))
                        .forEach(view -> entries.add(new CatalogEntry(schema, view, RelationKind.VIEW)));
            }
        }
        return entries;
    }

    /** {@code DESCRIBE TABLE} lists the columns, then a blank row or {@code # Partitioning} and more. */
    List<Column> columns(Session session, String schema, String name) {
        if (relationKind(session, schema, name) == null) {
            return List.of();
        }
        return describe(session, dialect.relation(schema, name));
    }

    /** The columns of an existing relation, rendered ({@code DESCRIBE TABLE} reads a branch too). */
    List<Column> describe(Session session, String relation) {
        List<Column> columns = new ArrayList<>();
        session.query(CATALOG, "DESCRIBE TABLE " + relation, rs -> {
            while (rs.next()) {
                String column = rs.getString(1);
                if (column == null || column.isBlank() || column.startsWith("#")) {
                    break;
                }
                columns.add(new Column(column, rs.getString(2)));
            }
            return null;
        });
        return columns;
    }

    boolean namespaceExists(Session session, String schema) {
        try {
            return session.queryList(CATALOG, "SHOW NAMESPACES IN " + dialect.quote(dialect.catalog()), rs -> rs.getString(1))
                    .stream().anyMatch(ns -> ns.toLowerCase(Locale.ROOT).equals(schema.toLowerCase(Locale.ROOT)));
        } catch (SqlExecutionException e) {
            return false;
        }
    }
}
