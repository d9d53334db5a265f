package dev.soma.spark.jdbc;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/** {@link ResultSetMetaData} from a Spark schema: names, JDBC types, Spark's type names, decimal sizes. */
final class MetaDataHandler implements InvocationHandler {

    private final StructField[] fields;

    MetaDataHandler(StructField[] fields) {
        this.fields = fields;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
        String name = method.getName();
        if (name.equals("getColumnCount")) {
            return fields.length;
        }
        if (name.equals("unwrap") || name.equals("isWrapperFor")) {
            boolean wraps = ((Class<?>) args[0]).isInstance(proxy);
            if (name.equals("isWrapperFor")) {
                return wraps;
            }
            if (wraps) {
                return proxy;
            }
            throw new SQLException("not a wrapper for " + args[0]);
        }
        int column = (Integer) args[0];
        if (column < 1 || column > fields.length) {
            throw new SQLException("column " + column + " out of range 1.." + fields.length);
        }
        StructField field = fields[column - 1];
        DataType type = field.dataType();
        return switch (name) {
            case "getColumnName", "getColumnLabel" -> field.name();
            case "getColumnType" -> jdbcType(type);
            case "getColumnTypeName" -> type.sql();
            case "getColumnClassName" -> javaClass(type);
            case "isNullable" -> field.nullable() ? ResultSetMetaData.columnNullable : ResultSetMetaData.columnNoNulls;
            case "getPrecision" -> type instanceof DecimalType decimal ? decimal.precision() : 0;
            case "getScale" -> type instanceof DecimalType decimal ? decimal.scale() : 0;
            case "isSigned" -> jdbcType(type) != Types.VARCHAR && jdbcType(type) != Types.BOOLEAN;
            case "getSchemaName", "getTableName", "getCatalogName" -> "";
            case "getColumnDisplaySize" -> 0;
            case "isAutoIncrement", "isCaseSensitive", "isCurrency", "isDefinitelyWritable", "isWritable" -> false;
            case "isSearchable", "isReadOnly" -> true;
            default -> throw SparkJdbc.unsupported(method);
        };
    }

    /** The {@link Types} constant for a Spark type. */
    static int jdbcType(DataType type) {
        if (type instanceof StringType) {
            return Types.VARCHAR;
        }
        if (type instanceof IntegerType) {
            return Types.INTEGER;
        }
        if (type instanceof LongType) {
            return Types.BIGINT;
        }
        if (type instanceof ShortType) {
            return Types.SMALLINT;
        }
        if (type instanceof ByteType) {
            return Types.TINYINT;
        }
        if (type instanceof DoubleType) {
            return Types.DOUBLE;
        }
        if (type instanceof FloatType) {
            return Types.REAL;
        }
        if (type instanceof DecimalType) {
            return Types.DECIMAL;
        }
        if (type instanceof BooleanType) {
            return Types.BOOLEAN;
        }
        if (type instanceof DateType) {
            return Types.DATE;
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return Types.TIMESTAMP;
        }
        if (type instanceof BinaryType) {
            return Types.VARBINARY;
        }
        if (type instanceof ArrayType) {
            return Types.ARRAY;
        }
        if (type instanceof StructType) {
            return Types.STRUCT;
        }
        if (type instanceof MapType) {
            return Types.JAVA_OBJECT;
        }
        return Types.OTHER;
    }

    private static String javaClass(DataType type) {
        return switch (jdbcType(type)) {
            case Types.VARCHAR -> String.class.getName();
            case Types.INTEGER -> Integer.class.getName();
            case Types.BIGINT -> Long.class.getName();
            case Types.SMALLINT -> Short.class.getName();
            case Types.TINYINT -> Byte.class.getName();
            case Types.DOUBLE -> Double.class.getName();
            case Types.REAL -> Float.class.getName();
            case Types.DECIMAL -> java.math.BigDecimal.class.getName();
            case Types.BOOLEAN -> Boolean.class.getName();
            case Types.DATE -> java.sql.Date.class.getName();
            case Types.TIMESTAMP -> java.sql.Timestamp.class.getName();
            case Types.VARBINARY -> byte[].class.getName();
            case Types.ARRAY -> java.util.List.class.getName();
            default -> Object.class.getName();
        };
    }
}
