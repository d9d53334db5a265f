package dev.soma.models.internal.unittest;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.template.TemplateOwner;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The columns and types of each node a unit test stands in for, from the project alone, never the
 * warehouse (dbt asks the warehouse, so its unit tests need the parents built: dbt-core #11868):
 * <ul>
 *   <li>a model: its SQL compiled on zero rows of its own inputs (recursively), then the
 *       {@code data_type}s its YAML declares over that; when its SQL cannot be compiled so, its declared
 *       columns alone;</li>
 *   <li>a seed: its CSV file as the seed loader reads it, with {@code column_types} and declared types over it;</li>
 *   <li>a source: its declared columns (a column without a type is guessed from the given rows).</li>
 * </ul>
 * Thread-safe: what is learned is kept for the run and shared by its unit tests.
 */
final class InputSchemas {

    private static final SqlOwner OWNER = SqlOwner.soma("unit test types");
    private static final String PROBE_SCHEMA = "__probe";

    /**
     * The columns of a node.
     *
     * @param complete whether these are all its columns (compiled or read), not only the declared ones
     * @param problem  why its SQL could not be compiled on zero rows, or {@code null}
     */
    record Schema(List<Column> columns, boolean complete, String problem) {

        Schema(List<Column> columns, boolean complete) {
            this(columns, complete, null);
        }
    }

    private final Project project;
    private final Map<String, Schema> known = new ConcurrentHashMap<>();

    InputSchemas(Project project) {
        this.project = project;
    }

    /**
     * The columns of {@code node}, probed on {@code session} (an in-memory database of one unit test)
     * where they must be compiled.
     */
    Schema of(Node node, Session session) {
        return of(node, new Probe(session));
    }

    private Schema of(Node node, Probe probe) {
        Schema schema = known.get(node.uniqueId());
        if (schema != null) {
            return schema;
        }
        if (node instanceof ModelNode model) {
            schema = model(model, probe);
        } else if (node instanceof SeedNode seed) {
            schema = seed(seed, probe);
        } else if (node instanceof SourceNode source) {
            schema = new Schema(declared(source.columns()), false);
        } else {
            schema = new Schema(List.of(), false);
        }
        Schema previous = known.putIfAbsent(node.uniqueId(), schema);
        return previous != null ? previous : schema;
    }

    private Schema model(ModelNode model, Probe probe) {
        try {
            Map<String, String> refs = new LinkedHashMap<>();
            for (String ref : model.refs()) {
                refs.put(ref, probe.table(project.refTarget(ref)));
            }
            Map<String, String> sources = new LinkedHashMap<>();
            for (String source : model.sources()) {
                sources.put(source, probe.table(project.sources().get(source)));
            }
            String sql = render(project, model, new UnitTestContext(refs, sources,
                    Identifiers.qualify(PROBE_SCHEMA, "this"), false, project.vars(), probe.session.engine().dialect()));
            List<Column> compiled = describe(probe.session, sql);
            return new Schema(overridden(compiled, declaredTypes(model.columns())), true);
        } catch (RuntimeException e) {
            // The SQL needs more than declared types give (an untyped source column in arithmetic): say what is declared.
            String problem = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return new Schema(declared(model.columns()), false, problem);
        }
    }

    private Schema seed(SeedNode seed, Probe probe) {
        Map<String, String> types = new LinkedHashMap<>();
        if (seed.config().columnTypes() != null) {
            seed.config().columnTypes().forEach((column, type) -> types.put(column.toLowerCase(Locale.ROOT), type));
        }
        types.putAll(declaredTypes(seed.columns()));
        Path csv = project.root().resolve(seed.path());
        if (csv.getFileSystem() == FileSystems.getDefault()) {
            try {
                List<Column> read = describe(probe.session, "SELECT * FROM read_csv("
                        + Identifiers.literal(csv.toAbsolutePath().toString()) + ", header = true, auto_detect = true)");
                return new Schema(overridden(read, types), true);
            } catch (RuntimeException e) {
                // an unreadable seed fails where the seed loads; here its declared columns do
            }
        }
        return new Schema(declared(seed.columns()), false);
    }

    /** Renders {@code model}'s SQL in a unit test's {@code context}. */
    static String render(Project project, ModelNode model, UnitTestContext context) {
        String sql = project.templates().render(model.path(), TemplateOwner.model(model.name()), context).strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).stripTrailing();
        }
        return sql;
    }

    /** The columns {@code sql} returns, with their types, without running it. */
    static List<Column> describe(Session session, String sql) {
        return session.queryList(OWNER, "DESCRIBE SELECT * FROM (\n" + sql + "\n) AS __described",
                rs -> new Column(rs.getString("column_name"), rs.getString("column_type")));
    }

    private static List<Column> overridden(List<Column> columns, Map<String, String> types) {
        List<Column> result = new ArrayList<>(columns.size());
        for (Column column : columns) {
            String declared = types.get(column.name().toLowerCase(Locale.ROOT));
            result.add(declared == null ? column : column.withType(declared));
        }
        return result;
    }

    private static Map<String, String> declaredTypes(List<ColumnEntry> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        for (ColumnEntry column : columns) {
            if (column.dataType() != null && !column.dataType().isBlank()) {
                types.put(column.name().toLowerCase(Locale.ROOT), column.dataType());
            }
        }
        return types;
    }

    private static List<Column> declared(List<ColumnEntry> columns) {
        return columns.stream().map(c -> new Column(c.name(), c.dataType() == null || c.dataType().isBlank()
                ? null : c.dataType())).toList();
    }

    /** Empty tables of the inputs' columns in one in-memory database, made once each, for compiling on zero rows. */
    private final class Probe {
        private final Session session;
        private final Set<String> made = new HashSet<>();

        Probe(Session session) {
            this.session = session;
        }

        String table(Node node) {
            String table = Identifiers.qualify(PROBE_SCHEMA, node.uniqueId());
            if (made.add(node.uniqueId())) {
                List<Column> columns = new ArrayList<>();
                for (Column column : of(node, this).columns()) {
                    columns.add(column.type() == null ? column.withType("VARCHAR") : column);
                }
                if (columns.isEmpty()) {
                    columns.add(new Column("__no_columns_declared", "VARCHAR"));
                }
                session.execute(OWNER, "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(PROBE_SCHEMA));
                session.execute(OWNER, Fixtures.create(table, columns));
            }
            return table;
        }
    }
}
