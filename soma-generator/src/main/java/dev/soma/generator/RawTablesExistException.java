package dev.soma.generator;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/**
 * The database already has raw tables and replacing them was not asked for. Nothing was written.
 */
public class RawTablesExistException extends SomaException {

    private final String database;
    private final List<String> tables;

    /**
     * @param database the database, as {@code Warehouse.describe()} names it
     * @param tables   the existing tables, qualified ({@code raw.books})
     */
    public RawTablesExistException(String database, List<String> tables) {
        super(ErrorCode.WOULD_OVERWRITE, "database " + database + " already has raw tables ("
                + String.join(", ", tables) + "); rerun with --replace to replace all five in one transaction"
                + " (GenerationConfig.withReplace(true) from Java), or choose another database with --db");
        this.database = database;
        this.tables = List.copyOf(tables);
    }

    /** The database, as the warehouse describes it. */
    public String database() {
        return database;
    }

    /** The raw tables that exist, qualified ({@code raw.books}). */
    public List<String> tables() {
        return tables;
    }
}
