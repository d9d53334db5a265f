package dev.soma.spark.jdbc;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forward-only {@link ResultSet} over a query's rows, read when first moved (Spark collects them
 * to the driver: Soma reads counts, samples and pages, not whole tables).
 *
 * <p>Values as JDBC drivers give them: {@code TIMESTAMP} as a {@link Timestamp} of its wall-clock
 * time in UTC (the session's zone; the same reading DuckDB's driver gives a naive timestamp),
 * {@code TIMESTAMP_NTZ} likewise, {@code DATE} as {@link java.sql.Date}, decimals as
 * {@link BigDecimal}, arrays as {@link java.sql.Array} (and a {@link List} from {@code getObject}),
 * structs and maps as a {@link Map}.
 */
final class ResultSetHandler implements InvocationHandler {

    private final Dataset<Row> dataset;
    private final Object statement;
    private final StructField[] fields;
    private List<Row> rows;
    private int position = -1;
    private boolean wasNull;
    private boolean closed;

    ResultSetHandler(Dataset<Row> dataset, Object statement) {
        this.dataset = dataset;
        this.statement = statement;
        this.fields = dataset.schema().fields();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
        String name = method.getName();
        if (name.startsWith("get") && args != null && args.length >= 1
                && (args[0] instanceof Integer || args[0] instanceof String)) {
            return get(name, column(args[0]), args.length > 1 ? args[1] : null);
        }
        return switch (name) {
            case "next" -> {
                ensureRows();
                if (position < rows.size()) {
                    position++;
                }
                yield position < rows.size();
            }
            case "wasNull" -> wasNull;
            case "findColumn" -> column(args[0]);
            case "getMetaData" -> SparkJdbc.proxy(ResultSetMetaData.class, new MetaDataHandler(fields));
            case "getStatement" -> statement;
            case "getRow" -> position + 1;
            case "isBeforeFirst" -> {
                ensureRows();
                yield position < 0 && !rows.isEmpty();
            }
            case "isAfterLast" -> rows != null && position >= rows.size();
            case "getType" -> ResultSet.TYPE_FORWARD_ONLY;
            case "getConcurrency" -> ResultSet.CONCUR_READ_ONLY;
            case "getHoldability" -> ResultSet.CLOSE_CURSORS_AT_COMMIT;
            case "getFetchSize" -> 0;
            case "setFetchSize", "setFetchDirection", "clearWarnings" -> null;
            case "getWarnings" -> null;
            case "isClosed" -> closed;
            case "close" -> {
                closed = true;
                rows = List.of();
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

    private void ensureRows() throws SQLException {
        if (rows == null) {
            try {
                rows = dataset.collectAsList();
            } catch (Exception e) {
                throw StatementHandler.sqlException(e);
            }
        }
    }

    private int column(Object key) throws SQLException {
        if (key instanceof Integer index) {
            if (index < 1 || index > fields.length) {
                throw new SQLException("column " + index + " out of range 1.." + fields.length);
            }
            return index;
        }
        String label = (String) key;
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase(label)) {
                return i + 1;
            }
        }
        throw new SQLException("no column " + label + " in the result");
    }

    private Object get(String getter, int column, Object type) throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed");
        }
        if (rows == null || position < 0 || position >= rows.size()) {
            throw new SQLException("no current row: call next() first");
        }
        Object raw = rows.get(position).get(column - 1);
        wasNull = raw == null;
        Object value = standard(raw);
        return switch (getter) {
            case "getObject" -> type instanceof Class<?> wanted ? as(value, wanted) : value;
            case "getString", "getNString" -> value == null ? null : text(value);
            case "getInt" -> value == null ? 0 : number(value, column).intValue();
            case "getLong" -> value == null ? 0L : number(value, column).longValue();
            case "getShort" -> value == null ? (short) 0 : number(value, column).shortValue();
            case "getByte" -> value == null ? (byte) 0 : number(value, column).byteValue();
            case "getDouble" -> value == null ? 0.0 : number(value, column).doubleValue();
            case "getFloat" -> value == null ? 0.0f : number(value, column).floatValue();
            case "getBigDecimal" -> value == null ? null : decimal(value, column);
            case "getBoolean" -> value != null && (value instanceof Boolean b ? b : number(value, column).intValue() != 0);
            case "getDate" -> value == null ? null : as(value, java.sql.Date.class);
            case "getTimestamp" -> value == null ? null : as(value, Timestamp.class);
            case "getBytes" -> (byte[]) value;
            case "getArray" -> value == null ? null : new ListArray((List<?>) value, fields[column - 1]);
            default -> throw new SQLException("the Spark JDBC adapter does not support ResultSet." + getter);
        };
    }

    /** Spark's Java values as JDBC drivers hand them out. */
    static Object standard(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Timestamp timestamp) {
            // Spark's TIMESTAMP is an instant; the session is pinned to UTC, so its wall clock is UTC's.
            return Timestamp.valueOf(LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC));
        }
        if (raw instanceof Instant instant) {
            return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
        if (raw instanceof LocalDateTime local) {
            return Timestamp.valueOf(local);
        }
        if (raw instanceof LocalDate date) {
            return java.sql.Date.valueOf(date);
        }
        if (raw instanceof scala.collection.Seq<?> seq) {
            List<Object> list = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(item -> list.add(standard(item)));
            return list;
        }
        if (raw instanceof scala.collection.Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            scala.jdk.javaapi.CollectionConverters.asJava(map).forEach((k, v) -> copy.put(standard(k), standard(v)));
            return copy;
        }
        if (raw instanceof Row struct) {
            Map<String, Object> copy = new LinkedHashMap<>();
            String[] names = struct.schema() == null ? null : struct.schema().fieldNames();
            for (int i = 0; i < struct.length(); i++) {
                copy.put(names == null ? "_" + (i + 1) : names[i], standard(struct.get(i)));
            }
            return copy;
        }
        return raw;
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private Number number(Object value, int column) throws SQLException {
        if (value instanceof Number number) {
            return number;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return new BigDecimal(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new SQLException("column " + fields[column - 1].name() + " holds '" + value + "', not a number");
        }
    }

    private BigDecimal decimal(Object value, int column) throws SQLException {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return BigDecimal.valueOf(number.longValue());
        }
        return new BigDecimal(number(value, column).toString());
    }

    private static Object as(Object value, Class<?> wanted) throws SQLException {
        if (value == null || wanted.isInstance(value)) {
            return value;
        }
        if (value instanceof Timestamp timestamp) {
            if (wanted == LocalDateTime.class) {
                return timestamp.toLocalDateTime();
            }
            if (wanted == Instant.class) {
                return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
            }
            if (wanted == java.sql.Date.class) {
                return java.sql.Date.valueOf(timestamp.toLocalDateTime().toLocalDate());
            }
            if (wanted == LocalDate.class) {
                return timestamp.toLocalDateTime().toLocalDate();
            }
        }
        if (value instanceof java.sql.Date date) {
            if (wanted == LocalDate.class) {
                return date.toLocalDate();
            }
            if (wanted == Timestamp.class) {
                return Timestamp.valueOf(date.toLocalDate().atStartOfDay());
            }
            if (wanted == LocalDateTime.class) {
                return date.toLocalDate().atStartOfDay();
            }
        }
        if (value instanceof Number number) {
            if (wanted == Long.class) {
                return number.longValue();
            }
            if (wanted == Integer.class) {
                return number.intValue();
            }
            if (wanted == Double.class) {
                return number.doubleValue();
            }
            if (wanted == BigDecimal.class) {
                return new BigDecimal(number.toString());
            }
        }
        if (wanted == String.class) {
            return text(value);
        }
        throw new SQLException("cannot read a " + value.getClass().getSimpleName() + " as " + wanted.getSimpleName()
                .toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "SparkJdbc result set (" + fields.length + " columns)";
    }
}
