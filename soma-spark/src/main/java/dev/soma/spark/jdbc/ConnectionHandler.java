package dev.soma.spark.jdbc;

import org.apache.spark.sql.SparkSession;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** {@link Connection} over a SparkSession: statements, and transactions accepted as no-ops. */
final class ConnectionHandler implements InvocationHandler {

    private final SparkSession spark;
    private boolean closed;
    private boolean autoCommit = true;
    private boolean readOnly;

    ConnectionHandler(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
        String name = method.getName();
        if (!name.equals("close") && !name.equals("isClosed") && !name.equals("isValid") && closed) {
            throw new SQLException("connection is closed");
        }
        return switch (name) {
            case "createStatement" -> SparkJdbc.proxy(Statement.class, new StatementHandler(spark, (Connection) proxy, null, () -> readOnly));
            case "prepareStatement" -> SparkJdbc.proxy(PreparedStatement.class,
                    new StatementHandler(spark, (Connection) proxy, (String) args[0], () -> readOnly));
            case "nativeSQL" -> args[0];
            // Iceberg commits every statement on its own; Spark has no multi-statement transactions.
            case "getAutoCommit" -> autoCommit;
            case "setAutoCommit" -> {
                autoCommit = (Boolean) args[0];
                yield null;
            }
            case "commit", "rollback", "clearWarnings", "setTransactionIsolation", "setHoldability",
                 "setClientInfo", "setSchema", "setCatalog" -> null;
            case "getTransactionIsolation" -> Connection.TRANSACTION_NONE;
            // Enforced here, as Spark has no read-only transactions: only queries run (the HTTP server's reads).
            case "setReadOnly" -> {
                readOnly = (Boolean) args[0];
                yield null;
            }
            case "isReadOnly" -> readOnly;
            case "getWarnings" -> null;
            case "getCatalog" -> spark.catalog().currentCatalog();
            case "getSchema" -> spark.catalog().currentDatabase();
            case "isValid" -> !closed;
            case "isClosed" -> closed;
            case "close" -> {
                closed = true;
                yield null;
            }
            case "unwrap" -> {
                Class<?> type = (Class<?>) args[0];
                if (type.isInstance(spark)) {
                    yield spark;
                }
                if (type.isInstance(proxy)) {
                    yield proxy;
                }
                throw new SQLException("not a wrapper for " + type.getName());
            }
            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(spark) || ((Class<?>) args[0]).isInstance(proxy);
            default -> throw SparkJdbc.unsupported(method);
        };
    }

    @Override
    public String toString() {
        return "SparkJdbc connection on " + spark;
    }
}
