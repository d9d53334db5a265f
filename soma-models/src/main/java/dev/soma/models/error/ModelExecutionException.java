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
    private final SourceLocation declaredAt;
    private final Path compiledSqlPath;

    public ModelExecutionException(SqlOwner owner, Path compiledSqlPath, String sql, SQLException cause) {
        this(owner, null, compiledSqlPath, sql, cause);
    }

    /**
     * @param declaredAt where the failing node is declared when that is not its own file (a test in
     *                   YAML), or {@code null}
     */
    public ModelExecutionException(SqlOwner owner, SourceLocation declaredAt, Path compiledSqlPath, String sql,
                                   SQLException cause) {
        this(owner, declaredAt, compiledSqlPath, sql, cause, "DuckDB");
    }

    /** As the others, rewrapping what {@code engine} (as users know it: DuckDB, Spark) rejected. */
    public ModelExecutionException(SqlOwner owner, Path compiledSqlPath, String sql, SQLException cause, String engine) {
        this(owner, null, compiledSqlPath, sql, cause, engine);
    }

    /** As the others, rewrapping what {@code engine} (as users know it: DuckDB, Spark) rejected. */
    public ModelExecutionException(SqlOwner owner, SourceLocation declaredAt, Path compiledSqlPath, String sql,
                                   SQLException cause, String engine) {
        super(owner, engine, sql, cause, hint(declaredAt, compiledSqlPath));
        this.model = owner.name();
        this.declaredAt = declaredAt;
        this.compiledSqlPath = compiledSqlPath;
    }

    private static String hint(SourceLocation declaredAt, Path compiledSqlPath) {
        String declared = declaredAt == null ? null : "declared at " + declaredAt;
        String compiled = compiledSqlPath == null ? null : "compiled SQL: " + compiledSqlPath;
        if (declared == null || compiled == null) {
            return declared == null ? compiled : declared;
        }
        return declared + "; " + compiled;
    }

    /** Where the node is declared, when that is not its own file (a test in YAML); or {@code null}. */
    public SourceLocation declaredAt() {
        return declaredAt;
    }

    /** The model's (or test's, or seed's) name. */
    public String model() {
        return model;
    }

    /** The compiled SQL file, or {@code null} if it was not written. */
    public Path compiledSqlPath() {
        return compiledSqlPath;
    }
}
