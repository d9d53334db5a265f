package dev.soma.models.error;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.SqlOwner;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * DuckDB rejected a model's SQL. Names the model, the compiled SQL file to open, and DuckDB's error.
 */
public class ModelExecutionException extends SqlExecutionException {

    private final String model;
    private final Path compiledSqlPath;

    public ModelExecutionException(SqlOwner owner, Path compiledSqlPath, String sql, SQLException cause) {
        super(owner, sql, cause, compiledSqlPath == null ? null : "compiled SQL: " + compiledSqlPath);
        this.model = owner.name();
        this.compiledSqlPath = compiledSqlPath;
    }

    public String model() {
        return model;
    }

    /** The compiled SQL file, or {@code null} if it was not written. */
    public Path compiledSqlPath() {
        return compiledSqlPath;
    }
}
