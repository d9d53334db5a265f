package dev.soma.core.error;

import dev.soma.core.warehouse.SqlOwner;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB rejected or failed a statement. Carries who issued it (a model, a test, a loader) and the
 * statement, so the user learns what failed without reading a stack trace.
 */
public class SqlExecutionException extends SomaException {

    private final SqlOwner owner;
    private final String sql;
    private final String databaseMessage;

    public SqlExecutionException(SqlOwner owner, String sql, SQLException cause) {
        this(owner, sql, cause, null);
    }

    /**
     * @param hint where the user should look (for example the compiled SQL file), appended to the
     *             message; may be {@code null}
     */
    public SqlExecutionException(SqlOwner owner, String sql, SQLException cause, String hint) {
        super(ErrorCode.SQL_ERROR, message(owner, cause, hint), cause);
        this.owner = owner;
        this.sql = sql;
        this.databaseMessage = cleanMessage(cause);
    }

    /** Who issued the statement. */
    public SqlOwner owner() {
        return owner;
    }

    /** The statement DuckDB rejected. */
    public String sql() {
        return sql;
    }

    /** DuckDB's own message, without the JDBC driver's decoration. */
    public String databaseMessage() {
        return databaseMessage;
    }

    private static String message(SqlOwner owner, SQLException cause, String hint) {
        String text = owner + ": DuckDB error: " + cleanMessage(cause);
        return hint == null ? text : text + " (" + hint + ")";
    }

    /** DuckDB's messages sometimes span lines with a caret diagram; keep them, trim the ends. */
    static String cleanMessage(SQLException cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        text = text.strip();
        // DuckDB's JDBC driver puts its own failure first when a pending query failed; the real error follows.
        Matcher noise = PENDING_NOISE.matcher(text);
        if (noise.lookingAt()) {
            text = text.substring(noise.end()).strip();
        }
        return text;
    }

    private static final Pattern PENDING_NOISE = Pattern.compile(
            "Invalid Input Error: Attempting to execute an unsuccessful or closed pending query result\\s*(Error:\\s*)?");
}
