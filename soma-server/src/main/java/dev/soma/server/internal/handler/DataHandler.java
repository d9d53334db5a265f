package dev.soma.server.internal.handler;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.engine.Dialect;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Relation;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.ReadSession;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /data/{model}?page=&page_size=&after=&search=&<column>=<value>}: rows of a built model, seed
 * or source.
 *
 * <p>Safety: the relation comes from the project ({@link NodeInfo#relation()}), the column names from
 * DuckDB's catalog for that relation; a request only chooses among them. Every value — filters, search,
 * cursor, limit, offset — is a bind parameter, and every statement is a SELECT, run in its own snapshot (no
 * transaction around a page: {@link dev.soma.server.internal.http.ReadSessions#readPrepared}).
 *
 * <p>Order and paging: a table is read in {@code rowid} order, and {@code after=<next_after>} continues
 * from a cursor with {@code WHERE rowid > ?} — keyset pagination, as fast at row 9,999,990 as at row 0.
 * {@code page=} (1-based) uses OFFSET, fine for the first pages; a view has no rowid and is ordered by
 * all its columns, paged by {@code page} only; so is every relation on an engine without row ids (Spark).
 *
 * <p>Per request: the relation's columns and kind come from a cache (one catalog lookup per relation, not per
 * request), and every query runs on the session's prepared statement for its SQL. The cache is checked by the
 * page query itself: its result's columns (names and types, from {@code rowid, *} or {@code *}) must be the
 * cached ones, a query that no longer binds (a column or the table gone) or a filter on a column the cache does
 * not know sends the request back to the catalog once, as does a cached view that is no longer one.
 */
public final class DataHandler implements Handler {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> RESERVED = Set.of("page", "page_size", "after", "search");
    private static final String ROWID = "__soma_rowid";
    private static final String TOTAL = "__soma_total";

    private final ServerContext context;
    private final Map<Relation, Shape> shapes = new ConcurrentHashMap<>();

    public DataHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public Response handle(Request request) {
        NodeInfo node = context.node(request.segment(1));
        Relation relation = node.relation();
        if (relation == null || "ephemeral".equals(node.materialized())) {
            throw new HttpFailure(404, node.name() + " is " + node.materialized()
                    + " and has no relation in the warehouse to read");
        }
        int pageSize = request.intParam("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int page = request.intParam("page", 1, 1, Integer.MAX_VALUE);
        Shape cached = shapes.get(relation);
        if (cached != null) {
            try {
                DataPage answer = context.sessions().readPrepared(session ->
                        read(session, cached, true, node, relation, request, page, pageSize));
                if (answer != null) {
                    return Response.ok(answer);
                }
            } catch (SqlExecutionException e) {
                // The relation changed since its shape was cached (a column or the table gone): look again.
            }
            shapes.remove(relation, cached);
        }
        return Response.ok(context.sessions().readPrepared(session -> {
            Shape shape = shape(session.session(), node, relation);
            shapes.put(relation, shape);
            return read(session, shape, false, node, relation, request, page, pageSize);
        }));
    }

    /**
     * The columns of a relation and whether it is a table read by the engine's row id ({@code rowId}, null for a
     * view or an engine without row ids).
     */
    private record Shape(List<Column> columns, Map<String, Column> byName, String rowId) {
        boolean table() {
            return rowId != null;
        }
    }

    private static Shape shape(Session session, NodeInfo node, Relation relation) throws SQLException {
        List<Column> columns = columns(session, relation);
        if (columns.isEmpty()) {
            throw new HttpFailure(404, node.name() + " is not built yet (no relation " + relation
                    + "); run 'soma build' first");
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(column -> byName.put(column.name(), column));
        // Keyset paging needs a row id the engine keeps (DuckDB's rowid); without one a table pages like a view.
        String rowId = session.engine().rowIdColumn().orElse(null);
        boolean table = rowId != null && "table".equals(session.relationType(relation.schema(), relation.identifier()));
        return new Shape(List.copyOf(columns), byName, table ? rowId : null);
    }

    /**
     * One page, or {@code null} when {@code check} is on and the relation is no longer the {@code shape} cached
     * for it.
     */
    private static DataPage read(ReadSession session, Shape shape, boolean check, NodeInfo node, Relation relation,
                                 Request request, int page, int pageSize) throws SQLException {
        boolean table = shape.table();
        String rowId = shape.rowId();
        Dialect d = session.session().engine().dialect();
        if (check && !table && !"view".equals(session.session().relationType(relation.schema(), relation.identifier()))) {
            return null;
        }
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> binds = new ArrayList<>();
        for (Map.Entry<String, String> filter : request.query().entrySet()) {
            if (RESERVED.contains(filter.getKey())) {
                continue;
            }
            Column column = shape.byName().get(filter.getKey());
            if (column == null) {
                if (check) {
                    return null;
                }
                throw new HttpFailure(404, node.name() + " has no column '" + ServerContext.abbreviate(filter.getKey())
                        + "' to filter on", List.copyOf(shape.byName().keySet()));
            }
            where.append(" AND CAST(").append(d.quote(column.name())).append(" AS ").append(d.typeString()).append(") = ?");
            binds.add(filter.getValue());
        }
        String search = request.param("search").orElse(null);
        if (search != null) {
            List<Column> text = shape.columns().stream().filter(Column::text).toList();
            if (text.isEmpty()) {
                where.append(" AND false");
            } else {
                where.append(" AND (");
                for (int i = 0; i < text.size(); i++) {
                    where.append(i == 0 ? "" : " OR ").append("contains(lower(")
                            .append(d.quote(text.get(i).name())).append("), lower(?))");
                    binds.add(search);
                }
                where.append(')');
            }
        }
        String from = " FROM " + d.relation(relation.schema(), relation.identifier());
        Long after = null;
        if (request.param("after").isPresent()) {
            if (!table) {
                throw new HttpFailure(400, node.name() + " is a view; page it with page=, not after=");
            }
            after = parseAfter(request.param("after").get());
        }
        // The total rides along with the page (one statement, not two: under load every statement waits its turn
        // for a CPU); "*" rather than the cached names: the result's own columns tell whether the cache holds.
        String select = "SELECT (SELECT count(*)" + from + where + ") AS " + d.quote(TOTAL) + ", "
                + (table ? rowId + " AS " + d.quote(ROWID) + ", *" : "*") + from + where;
        List<Object> selectBinds = new ArrayList<>(binds);
        selectBinds.addAll(binds);
        binds = selectBinds;
        Fetched fetched;
        // The first page of a table is the page after cursor -1: the same fast path as every cursor.
        Long cursor = after != null ? after : table && page == 1 ? Long.valueOf(-1L) : null;
        if (cursor != null) {
            fetched = afterCursor(session, select, from, binds, rowId, shape, cursor, pageSize);
        } else {
            List<Object> pageBinds = new ArrayList<>(binds);
            pageBinds.add(pageSize + 1);
            long offset = (long) (page - 1) * pageSize;
            // An INT where it fits: Spark refuses a BIGINT offset.
            pageBinds.add(offset <= Integer.MAX_VALUE ? (Object) (int) offset : (Object) offset);
            // A view (or a table without row ids) in the order of all its columns, after the total (position 1).
            fetched = fetch(session, select + " ORDER BY " + (table ? rowId : everyColumn(2, shape.columns().size()))
                            + " LIMIT ? OFFSET ?",
                    pageBinds, shape, pageSize, false);
        }
        if (fetched == null) {
            if (check) {
                return null;
            }
            throw new IllegalStateException(relation + " answered other columns than its catalog lists");
        }
        long total = fetched.total() != null ? fetched.total()
                : session.query("SELECT count(*)" + from + where, binds.subList(0, binds.size() / 2), rs -> {
                    rs.next();
                    return rs.getLong(1);
                });
        List<Map<String, Object>> rows = new ArrayList<>(fetched.rows());
        Long lastRowId = fetched.lastRowId();
        boolean hasMore = rows.size() > pageSize;
        if (hasMore) {
            rows.remove(rows.size() - 1);
        }
        return new DataPage(node.name(), relation.toString(), shape.columns(), after == null ? page : null, pageSize,
                total, hasMore, table && hasMore ? String.valueOf(lastRowId) : null, rows);
    }

    /**
     * The page after {@code cursor} in row id order (and the row after it, which says whether there is more), or
     * {@code null} when the result's columns are not {@code shape}'s.
     */
    private static Fetched afterCursor(ReadSession session, String select, String from, List<Object> binds, String rowId,
                                       Shape shape, long cursor, int pageSize) throws SQLException {
        if (binds.isEmpty() && cursor < Long.MAX_VALUE - pageSize - 1) {
            // Unfiltered, the page and the row after it are the next pageSize + 1 row ids when the table has no holes
            // (an append-built table): asked for exactly those, unordered, and put in order here, since DuckDB's
            // ORDER BY costs a page statement a fifth of its CPU (benchmarks/README.md section 24). A short answer
            // (holes, or the table's end) takes the ordered window below.
            Fetched exact = fetch(session, select + " AND " + rowId + " > ? AND " + rowId + " <= ?",
                    List.of(cursor, cursor + pageSize + 1), shape, pageSize, true);
            if (exact == null || exact.rows().size() == pageSize + 1) {
                return exact;
            }
        }
        // A bounded rowid range is cheaper for DuckDB than an open "rowid > ?": look in a window past the
        // cursor first (rowids are dense in an append-built table), and only widen when it comes up short.
        // (DuckDB 2.0 skips the row groups outside a rowid range; 1.5 read every row group's rowids for
        // either, duckdb/duckdb#23625, which was most of what a page cost; benchmarks/README.md section 11.)
        long window = 64L * (pageSize + 1);
        List<Object> windowBinds = new ArrayList<>(binds);
        windowBinds.add(cursor);
        windowBinds.add(cursor + window);
        windowBinds.add(pageSize + 1);
        Fetched fetched = fetch(session, select + " AND " + rowId + " > ? AND " + rowId + " <= ? ORDER BY " + rowId
                + " LIMIT ?", windowBinds, shape, pageSize, false);
        if (fetched != null && fetched.rows().size() <= pageSize
                && cursor + window < session.query("SELECT coalesce(max(" + rowId + "), -1)" + from, List.of(), rs -> {
                    rs.next();
                    return rs.getLong(1);
                })) {
            List<Object> openBinds = new ArrayList<>(binds);
            openBinds.add(cursor);
            openBinds.add(pageSize + 1);
            fetched = fetch(session, select + " AND " + rowId + " > ? ORDER BY " + rowId + " LIMIT ?", openBinds, shape,
                    pageSize, false);
        }
        return fetched;
    }

    /** A row as read, with its row id ({@code null} in a view). */
    private record Read(Long rowId, Map<String, Object> values) {
    }

    /** @param total the rows matching, {@code null} when the page is empty */
    private record Fetched(List<Map<String, Object>> rows, Long lastRowId, Long total) {
    }

    /**
     * The rows (at most {@code pageSize + 1}), or {@code null} when the result's columns are not {@code shape}'s; with
     * {@code unordered}, the statement's rows come in no particular order and are put in row id order here.
     */
    private static Fetched fetch(ReadSession session, String sql, List<Object> binds, Shape shape, int pageSize,
                                 boolean unordered) throws SQLException {
        return session.query(sql, binds, rs -> {
            if (!matches(rs.getMetaData(), shape)) {
                return null;
            }
            List<Column> columns = shape.columns();
            List<Read> read = new ArrayList<>();
            Long total = null;
            int first = shape.table() ? 3 : 2;
            while (read.size() < pageSize + 1 && rs.next()) {
                if (total == null) {
                    total = rs.getLong(1);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i).name(), value(rs.getObject(first + i)));
                }
                read.add(new Read(shape.table() ? rs.getLong(2) : null, row));
            }
            if (unordered) {
                read.sort(Comparator.comparing(Read::rowId));
            }
            List<Map<String, Object>> rows = read.stream().map(Read::values).toList();
            // the next page's cursor: the row id of this page's last row
            Long lastRowId = read.isEmpty() ? null : read.get(Math.min(read.size(), pageSize) - 1).rowId();
            return new Fetched(rows, lastRowId, total);
        });
    }

    /** Whether a result of {@code total, [rowid,] *} has exactly {@code shape}'s columns, by name and type. */
    private static boolean matches(ResultSetMetaData meta, Shape shape) throws SQLException {
        int first = shape.table() ? 3 : 2;
        List<Column> columns = shape.columns();
        if (meta.getColumnCount() != columns.size() + first - 1) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            // The driver names an ENUM just "ENUM"; the catalog spells out its values.
            if (!column.name().equals(meta.getColumnLabel(first + i)) || !column.type().toUpperCase(Locale.ROOT)
                    .startsWith(meta.getColumnTypeName(first + i).toUpperCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static long parseAfter(String raw) {
        try {
            long value = Long.parseLong(raw.strip());
            if (value < -1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new HttpFailure(400, "after must be the next_after of a previous page, not '"
                    + ServerContext.abbreviate(raw) + "'");
        }
    }

    /** The relation's columns from the engine's catalog; {@code search} looks in those of its string type. */
    static List<Column> columns(Session session, Relation relation) {
        String text = session.engine().dialect().typeString().toUpperCase(Locale.ROOT);
        List<Column> columns = new ArrayList<>();
        for (dev.soma.core.engine.Column column : session.engine().columns(session, relation.schema(), relation.identifier())) {
            String type = column.type();
            columns.add(new Column(column.name(), type, type.toUpperCase(Locale.ROOT).startsWith(text)));
        }
        return columns;
    }

    /** {@code from, from + 1, …}: {@code n} result positions, ordered left to right (a stable order without row ids). */
    private static String everyColumn(int from, int n) {
        StringJoiner all = new StringJoiner(", ");
        for (int i = from; i < from + n; i++) {
            all.add(String.valueOf(i));
        }
        return all.toString();
    }

    private static Object value(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value.toString();
    }

    /**
     * A column of the relation, from the engine's catalog.
     *
     * @param text whether {@code search} looks in it
     */
    public record Column(String name, String type, boolean text) {
    }

    /**
     * One page of rows.
     *
     * @param page      the 1-based page, or {@code null} when the page was asked for by cursor
     * @param nextAfter pass as {@code after=} for the next page (tables only; {@code null} on the last page)
     */
    public record DataPage(String model, String relation, List<Column> columns, Integer page, int pageSize, long total,
                           boolean hasMore, String nextAfter, List<Map<String, Object>> rows) {
    }
}
