package dev.soma.spark.jdbc;

import org.apache.spark.sql.SparkSession;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * Opens a JDBC {@link Connection} over a {@link SparkSession}; see the package description for what
 * it supports. Closing the connection leaves the session running (it belongs to whoever started it).
 *
 * <p>Connections over one session share its temporary views and settings; each may be used by one
 * thread at a time, several connections from several threads at once (Spark sessions are thread-safe).
 */
public final class SparkJdbc {

    private SparkJdbc() {
    }

    /** A new connection running its statements on {@code spark}. */
    public static Connection connect(SparkSession spark) {
        return proxy(Connection.class, new ConnectionHandler(spark));
    }

    static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(SparkJdbc.class.getClassLoader(), new Class<?>[] {type}, new Unwrapping(handler)));
    }

    static SQLException unsupported(Method method) {
        return new SQLFeatureNotSupportedException("the Spark JDBC adapter does not support "
                + method.getDeclaringClass().getSimpleName() + "." + method.getName());
    }

    /** Lets handlers throw SQLException (declared by every JDBC method) and answers Object's methods. */
    private record Unwrapping(InvocationHandler handler) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "toString" -> {
                    if (method.getParameterCount() == 0) {
                        return handler.toString();
                    }
                }
                case "hashCode" -> {
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                }
                case "equals" -> {
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                }
                default -> { }
            }
            try {
                return handler.invoke(proxy, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
