package dev.soma.spark;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Rows in a form two engines can agree on: numbers as integers when whole, else as doubles to 9
 * significant digits (DuckDB makes DOUBLE where Spark keeps DECIMAL); dates and timestamps as text;
 * NULL as {@code ∅}; columns in their order, named in lower case; rows sorted.
 */
final class RowCanon {

    private RowCanon() {
    }

    /** The header line and the sorted canonical rows of a result set. */
    static List<String> read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringJoiner header = new StringJoiner(" | ", "# ", "");
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            header.add(meta.getColumnLabel(c).toLowerCase(Locale.ROOT));
        }
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            StringJoiner row = new StringJoiner(" | ");
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                row.add(value(rs.getObject(c)));
            }
            rows.add(row.toString());
        }
        rows.sort(null);
        rows.add(0, header.toString());
        return rows;
    }

    static String value(Object value) {
        if (value == null) {
            return "∅";
        }
        if (value instanceof Number number) {
            return number(number);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof TemporalAccessor) {
            return value.toString();
        }
        if (value instanceof java.sql.Array array) {
            try {
                return value(List.of((Object[]) array.getArray()));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof Collection<?> list) {
            StringJoiner items = new StringJoiner(", ", "[", "]");
            list.forEach(item -> items.add(value(item)));
            return items.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner entries = new StringJoiner(", ", "{", "}");
            new TreeMap<>(map).forEach((k, v) -> entries.add(k + ": " + value(v)));
            return entries.toString();
        }
        return value.toString();
    }

    private static String number(Number number) {
        BigDecimal decimal = number instanceof BigDecimal big ? big : new BigDecimal(number.toString());
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return stripped.toPlainString();
        }
        double d = number.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return String.format(Locale.ROOT, "%.8e", d);
    }
}
