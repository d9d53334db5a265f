package dev.soma.spark.jdbc;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;

/** A Spark array value as a {@link java.sql.Array}: {@link #getArray()} gives its elements. */
final class ListArray implements Array {

    private final List<?> values;
    private final StructField field;

    ListArray(List<?> values, StructField field) {
        this.values = values;
        this.field = field;
    }

    @Override
    public String getBaseTypeName() {
        return field.dataType() instanceof ArrayType array ? array.elementType().sql() : "UNKNOWN";
    }

    @Override
    public int getBaseType() {
        return field.dataType() instanceof ArrayType array ? MetaDataHandler.jdbcType(array.elementType()) : java.sql.Types.OTHER;
    }

    @Override
    public Object getArray() {
        return values.toArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) {
        return getArray();
    }

    @Override
    public Object getArray(long index, int count) {
        return values.subList((int) index - 1, (int) index - 1 + count).toArray();
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) {
        return getArray(index, count);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        throw new SQLFeatureNotSupportedException("Array.getResultSet on Spark");
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        throw new SQLFeatureNotSupportedException("Array.getResultSet on Spark");
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        throw new SQLFeatureNotSupportedException("Array.getResultSet on Spark");
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        throw new SQLFeatureNotSupportedException("Array.getResultSet on Spark");
    }

    @Override
    public void free() {
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
