package dev.soma.core.warehouse;

import java.sql.SQLException;

/**
 * A piece of JDBC work that may throw {@link SQLException}; {@link Session} wraps the exception
 * with the owner of the work.
 *
 * @param <I> what the work receives (a result set, an appender, a session)
 * @param <O> what it returns
 */
@FunctionalInterface
public interface SqlWork<I, O> {
    O apply(I input) throws SQLException;
}
