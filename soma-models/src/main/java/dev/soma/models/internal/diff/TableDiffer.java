package dev.soma.models.internal.diff;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.engine.Engines;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.DiffRequest;
import dev.soma.models.api.DiffRequest.Side;
import dev.soma.models.api.DiffResult;
import dev.soma.models.api.DiffResult.ColumnDiff;
import dev.soma.models.api.DiffResult.SchemaChange;
import dev.soma.models.error.StateException;
import dev.soma.models.internal.database.LazyWarehouse;
import dev.soma.models.internal.database.Target;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.state.StateOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code soma diff}: compares one relation on two sides, set-based in DuckDB (SQLMesh's table diff).
 *
 * <p>With a key (the model's {@code unique_key}, or one given), both sides are read once, in one query: a full
 * outer hash join on the key, and one aggregate over it that counts the rows of each side, the keys on one side
 * only, and for every column on both sides the matched rows whose values differ, keeping a few samples of each
 * ({@code min_by(…, n)}, so memory for samples does not grow with the differences). The join holds one side in
 * a hash table (DuckDB spills it to disk past its memory limit): at 10M rows the cost is two scans and one
 * join, linear in the rows. Without a key rows are compared whole ({@code EXCEPT ALL} both ways: two scans
 * of each side). A side in another database file is attached read-only for the comparison and detached after.
 */
public final class TableDiffer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };

    private final Project project;
    private final StateOptions state;
    private final LazyWarehouse warehouse;

    public TableDiffer(Project project, StateOptions state, LazyWarehouse warehouse) {
        this.project = project;
        this.state = state;
        this.warehouse = warehouse;
    }

    /** Where one side's relation lives. */
    private record Located(String label, Path file, String schema, String name) {
    }

    /**
     * Compares {@code request}'s sides.
     *
     * @throws SomaException when a side names no relation, or a key column is missing on a side
     */
    public DiffResult diff(DiffRequest request) {
        Node model = request.model() == null ? null : model(request.model());
        Located a = locate("a", request.a(), model);
        Located b = locate("b", request.b(), model);
        List<String> key = !request.key().isEmpty() ? request.key()
                : model == null ? List.of() : model.config().uniqueKeyColumns();
        Path here = warehouse.file().map(p -> p.toAbsolutePath().normalize()).orElse(null);
        try (Session session = warehouse.get().openSession()) {
            if (!session.engine().comparesAcrossDatabases()) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "soma diff does not run on a " + session.engine().displayName()
                        + " target yet: it reads each side by attaching its database file (ATTACH), which this engine has not."
                        + " Diff on a target of engine " + Engines.onClassPath().defaultName()
                        + ", or compare the two relations with a query of your own (docs/engines.md)");
            }
            Map<Path, String> attached = new LinkedHashMap<>();
            try {
                String relationA = qualified(session, a, here, attached, "soma_diff_a");
                String relationB = qualified(session, b, here, attached, "soma_diff_b");
                Map<String, String> columnsA = columns(session, relationA, a);
                Map<String, String> columnsB = columns(session, relationB, b);
                List<SchemaChange> schema = schema(columnsA, columnsB);
                for (String column : key) {
                    if (!columnsA.containsKey(column) || !columnsB.containsKey(column)) {
                        throw new SomaException(ErrorCode.INVALID_CONFIG, "the key column '" + column + "' is not on side "
                                + (columnsA.containsKey(column) ? "b (" + b.label() + ")" : "a (" + a.label() + ")")
                                + "; give the columns that identify a row with --key");
                    }
                }
                List<String> common = columnsA.keySet().stream().filter(columnsB::containsKey).toList();
                String labelA = a.label() + " " + relationA;
                String labelB = b.label() + " " + relationB;
                return key.isEmpty()
                        ? wholeRows(session, request, labelA, labelB, relationA, relationB, common, schema)
                        : keyed(session, request, labelA, labelB, relationA, relationB, key, common, columnsA, columnsB);
            } finally {
                for (String catalog : attached.values()) {
                    session.execute(new SqlOwner("diff", catalog), "DETACH DATABASE IF EXISTS " + Identifiers.quote(catalog));
                }
            }
        }
    }

    private Node model(String name) {
        Node node = project.refTarget(name);
        if (node == null) {
            throw new SomaException(ErrorCode.UNKNOWN_NODE, "there is no model or seed '" + name + "' to diff; 'soma ls' lists them");
        }
        return node;
    }

    private Located locate(String letter, Side side, Node model) {
        if (side.fromState()) {
            if (state.manifest() == null) {
                throw new StateException(null, "side " + letter + " is the state: give the earlier run's artifacts with --state DIR");
            }
            if (model == null) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "the state side needs a model to look up; name one");
            }
            JsonNode recorded = state.manifest().node(model.uniqueId());
            if (recorded == null) {
                throw new StateException(state.manifest().directory(), model.name() + " is not in the state's manifest: it is new");
            }
            Path file = state.manifest().databaseFile();
            return relationOf(side, "state", file, recorded.path("schema").asText(), recorded.path("alias").asText(model.name()));
        }
        Path file = side.target() != null
                ? Target.choose(project, side.target()).databaseFile(project.root(), null)
                : warehouse.file().orElse(null);
        String label = side.target() != null ? "target " + side.target() : "current";
        if (side.relation() == null && model == null) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "side " + letter + " names no relation; give a model or schema.name");
        }
        return model == null || side.relation() != null ? relationOf(side, label, file, null, null)
                : new Located(label, file, model.relation().schema(), model.relation().identifier());
    }

    private static Located relationOf(Side side, String label, Path file, String schema, String name) {
        if (side.relation() == null) {
            return new Located(label, file, schema, name);
        }
        int dot = side.relation().indexOf('.');
        if (dot <= 0 || dot == side.relation().length() - 1) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "'" + side.relation() + "' is not a relation; write schema.name");
        }
        return new Located(label, file, side.relation().substring(0, dot), side.relation().substring(dot + 1));
    }

    /** The side's relation as SQL, its database attached read-only when it is another file. */
    private static String qualified(Session session, Located side, Path here, Map<Path, String> attached, String alias) {
        String relation = Identifiers.qualify(side.schema(), side.name());
        Path file = side.file() == null ? null : side.file().toAbsolutePath().normalize();
        if (file == null || file.equals(here)) {
            return relation;
        }
        if (!Files.isRegularFile(file)) {
            throw new SomaException(ErrorCode.DATABASE_UNAVAILABLE, side.label() + "'s database " + file
                    + " does not exist; build that target first");
        }
        String catalog = attached.get(file);
        if (catalog == null) {
            catalog = alias;
            session.execute(new SqlOwner("diff", alias), "ATTACH " + Identifiers.literal(file.toString()) + " AS "
                    + Identifiers.quote(alias) + " (READ_ONLY)");
            attached.put(file, catalog);
        }
        return Identifiers.quote(catalog) + "." + relation;
    }

    private static Map<String, String> columns(Session session, String relation, Located side) {
        Map<String, String> columns = new LinkedHashMap<>();
        try {
            session.query(new SqlOwner("diff", relation), "DESCRIBE SELECT * FROM " + relation, rows -> {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2));
                }
                return null;
            });
        } catch (SomaException e) {
            throw new SomaException(ErrorCode.UNKNOWN_NODE, side.label() + " has no relation " + relation
                    + "; build it there first, or name another with schema.name");
        }
        return columns;
    }

    private static List<SchemaChange> schema(Map<String, String> a, Map<String, String> b) {
        List<SchemaChange> changes = new ArrayList<>();
        a.forEach((column, type) -> {
            if (!Objects.equals(type, b.get(column))) {
                changes.add(new SchemaChange(column, type, b.get(column)));
            }
        });
        b.forEach((column, type) -> {
            if (!a.containsKey(column)) {
                changes.add(new SchemaChange(column, null, type));
            }
        });
        return changes;
    }

    private DiffResult keyed(Session session, DiffRequest request, String labelA, String labelB, String relationA,
                             String relationB, List<String> key, List<String> common, Map<String, String> typesA,
                             Map<String, String> typesB) {
        List<String> compared = common.stream().filter(c -> !key.contains(c)).toList();
        String join = key.stream().map(k -> "a." + q(k) + " = b." + q(k)).collect(Collectors.joining(" AND "));
        String order = "struct_pack(" + key.stream().map(k -> q(k) + " := coalesce(a." + q(k) + ", b." + q(k) + ")")
                .collect(Collectors.joining(", ")) + ")";
        int n = request.samples();
        StringBuilder sql = new StringBuilder("SELECT count(a.__soma_side), count(b.__soma_side), ")
                .append("count(*) FILTER (WHERE b.__soma_side IS NULL), count(*) FILTER (WHERE a.__soma_side IS NULL), ")
                .append("count(*) FILTER (WHERE a.__soma_side AND b.__soma_side)");
        sql.append(", ").append(samples(n, "a", typesA.keySet(), order, "b.__soma_side IS NULL"));
        sql.append(", ").append(samples(n, "b", typesB.keySet(), order, "a.__soma_side IS NULL"));
        for (String column : compared) {
            boolean sameType = Objects.equals(typesA.get(column), typesB.get(column));
            String left = sameType ? "a." + q(column) : "CAST(a." + q(column) + " AS VARCHAR)";
            String right = sameType ? "b." + q(column) : "CAST(b." + q(column) + " AS VARCHAR)";
            String differs = "a.__soma_side AND b.__soma_side AND " + left + " IS DISTINCT FROM " + right;
            sql.append(", count(*) FILTER (WHERE ").append(differs).append(")");
            String sample = "struct_pack(" + key.stream().map(k -> q(k) + " := a." + q(k)).collect(Collectors.joining(", "))
                    + ", \"a\" := " + left + ", \"b\" := " + right + ")";
            sql.append(", ").append(n == 0 ? "'[]'" : "to_json(min_by(" + sample + ", " + order + ", " + n + ") FILTER (WHERE "
                    + differs + "))");
        }
        sql.append(" FROM (SELECT *, true AS __soma_side FROM ").append(relationA).append(") a FULL OUTER JOIN (SELECT *, ")
                .append("true AS __soma_side FROM ").append(relationB).append(") b ON ").append(join);
        return session.query(new SqlOwner("diff", relationA), sql.toString(), rows -> {
            rows.next();
            long matched = rows.getLong(5);
            List<ColumnDiff> columns = new ArrayList<>();
            int index = 8;
            for (String column : compared) {
                long differing = rows.getLong(index++);
                columns.add(new ColumnDiff(column, differing, matched == 0 ? 0 : (double) differing / matched,
                        parse(rows.getString(index++))));
            }
            return new DiffResult(labelA, labelB, key, rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                    matched, List.of(), columns, parse(rows.getString(6)), parse(rows.getString(7)));
        }).withSchema(schema(typesA, typesB));
    }

    private static String samples(int n, String side, java.util.Collection<String> columns, String order, String only) {
        if (n == 0) {
            return "'[]'";
        }
        String row = "struct_pack(" + columns.stream().map(c -> q(c) + " := " + side + "." + q(c))
                .collect(Collectors.joining(", ")) + ")";
        return "to_json(min_by(" + row + ", " + order + ", " + n + ") FILTER (WHERE " + only + "))";
    }

    private DiffResult wholeRows(Session session, DiffRequest request, String labelA, String labelB, String relationA,
                                 String relationB, List<String> common, List<SchemaChange> schema) {
        String columns = common.stream().map(TableDiffer::q).collect(Collectors.joining(", "));
        String onlyA = "SELECT " + columns + " FROM " + relationA + " EXCEPT ALL SELECT " + columns + " FROM " + relationB;
        String onlyB = "SELECT " + columns + " FROM " + relationB + " EXCEPT ALL SELECT " + columns + " FROM " + relationA;
        int n = request.samples();
        String sql = "SELECT (SELECT count(*) FROM " + relationA + "), (SELECT count(*) FROM " + relationB + "), "
                + "(SELECT count(*) FROM (" + onlyA + ")), (SELECT count(*) FROM (" + onlyB + ")), "
                + "(SELECT to_json(coalesce(list(t), [])) FROM (" + onlyA + " LIMIT " + n + ") t), "
                + "(SELECT to_json(coalesce(list(t), [])) FROM (" + onlyB + " LIMIT " + n + ") t)";
        return session.query(new SqlOwner("diff", relationA), sql, rows -> {
            rows.next();
            long rowsA = rows.getLong(1);
            long onlyInA = rows.getLong(3);
            return new DiffResult(labelA, labelB, List.of(), rowsA, rows.getLong(2), onlyInA, rows.getLong(4),
                    rowsA - onlyInA, schema, List.of(), parse(rows.getString(5)), parse(rows.getString(6)));
        });
    }

    private static List<Map<String, Object>> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, ROWS);
        } catch (IOException e) {
            throw new SomaException(ErrorCode.INTERNAL, "soma diff could not read DuckDB's samples: " + e.getMessage());
        }
    }

    private static String q(String identifier) {
        return Identifiers.quote(identifier);
    }

}
