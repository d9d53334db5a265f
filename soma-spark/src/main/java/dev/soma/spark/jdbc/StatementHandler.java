package dev.soma.spark.jdbc;

import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * {@link java.sql.Statement} and {@link java.sql.PreparedStatement} over {@code SparkSession.sql}.
 *
 * <p>Commands (DDL, DML) run when executed, as Spark runs them eagerly; a query's rows are read when
 * its result set is first moved. A prepared statement's {@code ?} parameters become typed, escaped
 * literals ({@link SqlScript#bind}): Spark's positional parameters misplace values in
 * {@code INSERT … VALUES (?, NULL, ?)}. The update count is Spark's
 * {@code num_affected_rows} where the command reports one, else -1 ("no count"), which is what
 * Iceberg's {@code CREATE TABLE … AS} and {@code INSERT} report.
 */
final class StatementHandler implements InvocationHandler {

    private final SparkSession spark;
    private final Connection connection;
    private final String preparedSql;
    private final BooleanSupplier readOnly;
    private final Map<Integer, Object> parameters = new TreeMap<>();
    private final List<Object> batch = new ArrayList<>();
    private ResultSet resultSet;
    private long updateCount = -1;
    private boolean closed;

    StatementHandler(SparkSession spark, Connection connection, String preparedSql, BooleanSupplier readOnly) {
        this.spark = spark;
        this.readOnly = readOnly;
        this.connection = connection;
        this.preparedSql = preparedSql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (name.startsWith("set") && arity >= 2 && args[0] instanceof Integer index && name.length() > 3
                && !name.equals("setFetchSize") && !name.equals("setMaxRows") && !name.equals("setQueryTimeout")) {
            parameters.put(index, parameter(name, args[1]));
            return null;
        }
        return switch (name) {
            case "execute" -> run(sql(args), proxy) != null;
            case "executeQuery" -> {
                ResultSet rows = run(sql(args), proxy);
                if (rows == null) {
                    throw new SQLException("not a query: " + sql(args));
                }
                yield rows;
            }
            case "executeUpdate" -> {
                run(sql(args), proxy);
                yield (int) Math.max(updateCount, 0);
            }
            case "executeLargeUpdate" -> {
                run(sql(args), proxy);
                yield Math.max(updateCount, 0);
            }
            case "addBatch" -> {
                batch.add(arity == 1 ? args[0] : new TreeMap<>(parameters));
                yield null;
            }
            case "clearBatch" -> {
                batch.clear();
                yield null;
            }
            case "executeBatch", "executeLargeBatch" -> executeBatch(proxy, name.equals("executeLargeBatch"));
            case "clearParameters" -> {
                parameters.clear();
                yield null;
            }
            case "getResultSet" -> resultSet;
            case "getUpdateCount" -> resultSet != null ? -1 : (int) updateCount;
            case "getLargeUpdateCount" -> resultSet != null ? -1L : updateCount;
            case "getMoreResults" -> {
                resultSet = null;
                updateCount = -1;
                yield false;
            }
            case "getConnection" -> connection;
            case "setFetchSize", "setMaxRows", "setQueryTimeout", "setEscapeProcessing", "clearWarnings", "cancel",
                 "closeOnCompletion", "setPoolable" -> null;
            case "getWarnings" -> null;
            case "getFetchSize", "getMaxRows", "getQueryTimeout" -> 0;
            case "isClosed" -> closed;
            case "close" -> {
                closed = true;
                resultSet = null;
                yield null;
            }
            case "unwrap" -> {
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    yield proxy;
                }
                throw new SQLException("not a wrapper for " + args[0]);
            }
            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(proxy);
            default -> throw SparkJdbc.unsupported(method);
        };
    }

    private String sql(Object[] args) throws SQLException {
        if (args != null && args.length > 0 && args[0] instanceof String text) {
            if (preparedSql != null) {
                throw new SQLException("a prepared statement runs its own SQL; call execute() without text");
            }
            return text;
        }
        if (preparedSql == null) {
            throw new SQLException("no SQL to run");
        }
        return preparedSql;
    }

    /** Runs {@code sql}: its result set if the last statement is a query, else {@code null}. */
    private ResultSet run(String sql, Object statement) throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed");
        }
        resultSet = null;
        updateCount = -1;
        Object[] arguments = arguments();
        List<String> statements = arguments.length > 0 ? List.of(sql) : SqlScript.split(sql);
        for (String one : statements) {
            resultSet = null;
            updateCount = -1;
            if (SqlScript.isTransactionControl(one)) {
                continue;
            }
            if (readOnly.getAsBoolean() && !SqlScript.isQuery(one)) {
                throw new SQLException("the connection is read-only: only queries run, not " + SqlScript.firstWord(one).toUpperCase(java.util.Locale.ROOT), "25006");
            }
            try {
                Dataset<Row> result = spark.sql(arguments.length > 0 ? SqlScript.bind(one, arguments) : one);
                if (SqlScript.isQuery(one)) {
                    resultSet = SparkJdbc.proxy(ResultSet.class, new ResultSetHandler(result, statement));
                } else {
                    updateCount = affectedRows(result);
                    if (updateCount < 0) {
                        updateCount = insertedRows(one);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new SQLException(e.getMessage(), "07001", e);
            } catch (Exception e) {
                // AnalysisException is a checked exception that Scala code throws undeclared.
                throw sqlException(e);
            }
        }
        return resultSet;
    }

    private Object executeBatch(Object proxy, boolean large) throws SQLException {
        long[] counts = new long[batch.size()];
        List<List<Object>> rows = new ArrayList<>();
        for (Object entry : batch) {
            if (entry instanceof Map<?, ?> values) {
                rows.add(new ArrayList<>(values.values()));
            }
        }
        String combined = preparedSql == null || batch.size() < 2 || rows.size() != batch.size()
                ? null : SqlScript.batchInsert(preparedSql, rows);
        if (combined != null) {
            // One INSERT of every row: one Iceberg commit, not one per row.
            batch.clear();
            Map<Integer, Object> kept = new TreeMap<>(parameters);
            parameters.clear();
            try {
                run(combined, proxy);
            } finally {
                parameters.putAll(kept);
            }
            Arrays.fill(counts, 1);
            return large ? counts : Arrays.stream(counts).mapToInt(c -> (int) c).toArray();
        }
        try {
            for (int i = 0; i < counts.length; i++) {
                Object entry = batch.get(i);
                if (entry instanceof String text) {
                    run(text, proxy);
                } else {
                    parameters.clear();
                    @SuppressWarnings("unchecked")
                    Map<Integer, Object> values = (Map<Integer, Object>) entry;
                    parameters.putAll(values);
                    run(preparedSql, proxy);
                }
                counts[i] = updateCount;
            }
        } finally {
            batch.clear();
        }
        return large ? counts : Arrays.stream(counts).mapToInt(c -> (int) c).toArray();
    }

    private Object[] arguments() throws SQLException {
        if (parameters.isEmpty()) {
            return new Object[0];
        }
        int count = ((TreeMap<Integer, Object>) parameters).lastKey();
        Object[] arguments = new Object[count];
        for (int i = 1; i <= count; i++) {
            if (!parameters.containsKey(i)) {
                throw new SQLException("parameter " + i + " of " + count + " was not set");
            }
            arguments[i - 1] = parameters.get(i);
        }
        return arguments;
    }

    /** A parameter as Spark takes it: Java time types as they are, SQL types as what they stand for. */
    private static Object parameter(String setter, Object value) {
        if (setter.equals("setNull")) {
            return null;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime) {
            return value;
        }
        return value;
    }

    private static long affectedRows(Dataset<Row> result) {
        String[] columns = result.columns();
        if (columns.length > 0 && columns[0].equals("num_affected_rows")) {
            List<Row> rows = result.collectAsList();
            if (!rows.isEmpty() && rows.get(0).get(0) instanceof Number number) {
                return number.longValue();
            }
        }
        return -1;
    }

    private static final java.util.regex.Pattern INSERT_TARGET = java.util.regex.Pattern.compile(
            "(?is)^\\s*INSERT\\s+(?:INTO|OVERWRITE)\\s+(?:TABLE\\s+)?((?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)"
                    + "(?:\\s*\\.\\s*(?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*))*)");

    /**
     * Spark reports no count for an {@code INSERT}; Iceberg's snapshot summary has it: the rows the
     * statement's commit added. -1 when the target is not an Iceberg table (or not an INSERT).
     */
    private long insertedRows(String statement) {
        java.util.regex.Matcher target = INSERT_TARGET.matcher(statement);
        if (!target.find()) {
            return -1;
        }
        try {
            List<Row> rows = spark.sql("SELECT summary['added-records'] FROM " + target.group(1)
                    + ".snapshots ORDER BY committed_at DESC LIMIT 1").collectAsList();
            Object added = rows.isEmpty() ? null : rows.get(0).get(0);
            return added == null ? -1 : Long.parseLong(added.toString());
        } catch (Exception e) {
            return -1;
        }
    }

    static SQLException sqlException(Exception e) {
        String state = e instanceof SparkThrowable spark ? spark.getSqlState() : null;
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new SQLException(message, state, e);
    }

    @Override
    public String toString() {
        return "SparkJdbc statement" + (preparedSql == null ? "" : " " + preparedSql);
    }
}
