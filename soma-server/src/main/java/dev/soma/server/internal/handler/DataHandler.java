package dev.soma.server.internal.handler;

import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Relation;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code GET /data/{model}?page=&page_size=&after=&search=&<column>=<value>}: rows of a built model, seed
 * or source.
 *
 * <p>Safety: the relation comes from the project ({@link NodeInfo#relation()}), the column names from
 * the engine's catalog for that relation; a request only chooses among them. Every value — filters, search,
 * cursor, limit, offset — is a bind parameter. The query runs in a read-only transaction.
 *
 * <p>Order and paging: a table is read in {@code rowid} order, and {@code after=<next_after>} continues
 * from a cursor with {@code WHERE rowid > ?} — keyset pagination, as fast at row 9,999,990 as at row 0.
 * {@code page=} (1-based) uses OFFSET, fine for the first pages; a view has no rowid and is ordered by
 * all its columns, paged by {@code page} only; so is every relation on an engine without row ids (Spark).
 */
public final class DataHandler implements Handler {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> RESERVED = Set.of("page", "page_size", "after", "search");

    private final ServerContext context;

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
        return Response.ok(context.sessions().read(session -> read(session, node, relation, request, page, pageSize)));
    }

    private DataPage read(Session session, NodeInfo node, Relation relation, Request request, int page, int pageSize)
            throws SQLException {
        List<Column> columns = columns(session, relation);
        if (columns.isEmpty()) {
            throw new HttpFailure(404, node.name() + " is not built yet (no relation " + relation
                    + "); run 'soma build' first");
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(column -> byName.put(column.name(), column));
        Engine engine = session.engine();
        Dialect d = engine.dialect();
        // Keyset paging needs a row id the engine keeps (DuckDB's rowid); without one a table pages like a view.
        String rowId = engine.rowIdColumn().orElse(null);
        boolean table = rowId != null && "table".equals(session.relationType(relation.schema(), relation.identifier()));

        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> binds = new ArrayList<>();
        for (Map.Entry<String, String> filter : request.query().entrySet()) {
            if (RESERVED.contains(filter.getKey())) {
                continue;
            }
            Column column = byName.get(filter.getKey());
            if (column == null) {
                throw new HttpFailure(404, node.name() + " has no column '" + ServerContext.abbreviate(filter.getKey())
                        + "' to filter on", List.copyOf(byName.keySet()));
            }
            where.append(" AND CAST(").append(d.quote(column.name())).append(" AS ").append(d.typeString()).append(") = ?");
            binds.add(filter.getValue());
        }
        String search = request.param("search").orElse(null);
        if (search != null) {
            List<Column> text = columns.stream().filter(Column::text).toList();
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
        long total = count(session, "SELECT count(*)" + from + where, binds);

        StringBuilder select = new StringBuilder("SELECT ");
        if (table) {
            select.append(rowId).append(" AS ").append(d.quote("__soma_rowid")).append(", ");
        }
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(d.quote(columns.get(i).name()));
        }
        select.append(from).append(where);
        Long after = null;
        if (request.param("after").isPresent()) {
            if (!table) {
                throw new HttpFailure(400, node.name() + (rowId == null ? " has no row ids on this engine" : " is a view")
                        + "; page it with page=, not after=");
            }
            after = parseAfter(request.param("after").get());
        }
        Fetched fetched;
        // The first page of a table is the page after cursor -1: the same fast path as every cursor.
        Long cursor = after != null ? after : table && page == 1 ? Long.valueOf(-1L) : null;
        if (cursor != null) {
            // DuckDB skips row groups on a rowid range but not on an open "rowid > ?": look in a window past the
            // cursor first (rowids are dense in an append-built table), and only widen when it comes up short.
            long window = 64L * (pageSize + 1);
            List<Object> windowBinds = new ArrayList<>(binds);
            windowBinds.add(cursor);
            windowBinds.add(cursor + window);
            windowBinds.add(pageSize + 1);
            fetched = fetch(session, select + " AND " + rowId + " > ? AND " + rowId + " <= ? ORDER BY " + rowId + " LIMIT ?", windowBinds,
                    columns, table, pageSize);
            if (fetched.rows().size() <= pageSize && cursor + window < maxRowId(session, rowId, from)) {
                List<Object> openBinds = new ArrayList<>(binds);
                openBinds.add(cursor);
                openBinds.add(pageSize + 1);
                fetched = fetch(session, select + " AND " + rowId + " > ? ORDER BY " + rowId + " LIMIT ?", openBinds, columns, table,
                        pageSize);
            }
        } else {
            List<Object> pageBinds = new ArrayList<>(binds);
            pageBinds.add(pageSize + 1);
            long offset = (long) (page - 1) * pageSize;
            // An INT where it fits: Spark refuses a BIGINT offset.
            if (offset <= Integer.MAX_VALUE) {
                pageBinds.add((int) offset);
            } else {
                pageBinds.add(offset);
            }
            fetched = fetch(session, select + (table ? " ORDER BY " + rowId : " ORDER BY " + everyColumn(columns.size()))
                    + " LIMIT ? OFFSET ?",
                    pageBinds, columns, table, pageSize);
        }
        List<Map<String, Object>> rows = new ArrayList<>(fetched.rows());
        Long lastRowId = fetched.lastRowId();
        boolean hasMore = rows.size() > pageSize;
        if (hasMore) {
            rows.remove(rows.size() - 1);
        }
        return new DataPage(node.name(), relation.toString(), columns, after == null ? page : null, pageSize, total,
                hasMore, table && hasMore ? String.valueOf(lastRowId) : null, rows);
    }

    private record Fetched(List<Map<String, Object>> rows, Long lastRowId) {
    }

    private static Fetched fetch(Session session, String sql, List<Object> binds, List<Column> columns, boolean table,
                                 int pageSize) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Long lastRowId = null;
        try (PreparedStatement statement = session.jdbc().prepareStatement(sql)) {
            bind(statement, binds);
            try (ResultSet rs = statement.executeQuery()) {
                int first = table ? 2 : 1;
                while (rs.next() && rows.size() < pageSize + 1) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i).name(), value(rs.getObject(first + i)));
                    }
                    rows.add(row);
                    if (table && rows.size() <= pageSize) {
                        lastRowId = rs.getLong(1);
                    }
                }
            }
        }
        return new Fetched(rows, lastRowId);
    }

    private static long maxRowId(Session session, String rowId, String from) throws SQLException {
        return count(session, "SELECT coalesce(max(" + rowId + "), -1)" + from, List.of());
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

    /** {@code 1, 2, …, n}: ordered by every column, left to right (a stable order where there is no row id). */
    private static String everyColumn(int n) {
        StringJoiner all = new StringJoiner(", ");
        for (int i = 1; i <= n; i++) {
            all.add(String.valueOf(i));
        }
        return all.toString();
    }

    private static long count(Session session, String sql, List<Object> binds) throws SQLException {
        try (PreparedStatement statement = session.jdbc().prepareStatement(sql)) {
            bind(statement, binds);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement statement, List<Object> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Object value = binds.get(i);
            if (value instanceof String text) {
                statement.setString(i + 1, text);
            } else if (value instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setLong(i + 1, (Long) value);
            }
        }
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
