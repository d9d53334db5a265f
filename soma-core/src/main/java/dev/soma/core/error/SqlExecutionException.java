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
    private final String engine;

    public SqlExecutionException(SqlOwner owner, String sql, SQLException cause) {
        this(owner, sql, cause, null);
    }

    /**
     * @param hint where the user should look (for example the compiled SQL file), appended to the
     *             message; may be {@code null}
     */
    public SqlExecutionException(SqlOwner owner, String sql, SQLException cause, String hint) {
        this(owner, "DuckDB", sql, cause, hint);
    }

    /**
     * @param engine the engine that rejected the statement, as users know it ({@code DuckDB}, {@code Spark})
     * @param hint   where the user should look, appended to the message; may be {@code null}
     */
    public SqlExecutionException(SqlOwner owner, String engine, String sql, SQLException cause, String hint) {
        super(ErrorCode.SQL_ERROR, message(owner, engine, cause, hint), cause);
        this.engine = engine;
        this.owner = owner;
        this.sql = sql;
        this.databaseMessage = cleanMessage(cause);
    }

    /** Who issued the statement. */
    public SqlOwner owner() {
        return owner;
    }

    /** The engine that rejected the statement, as users know it ({@code DuckDB}, {@code Spark}). */
    public String engine() {
        return engine;
    }

    /** The statement the engine rejected. */
    public String sql() {
        return sql;
    }

    /** The engine's own message, without the JDBC driver's decoration. */
    public String databaseMessage() {
        return databaseMessage;
    }

    private static String message(SqlOwner owner, String engine, SQLException cause, String hint) {
        String text = owner + ": " + engine + " error: " + cleanMessage(cause);
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
