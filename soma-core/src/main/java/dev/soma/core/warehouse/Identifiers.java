package dev.soma.core.warehouse;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * Quoting of SQL identifiers for DuckDB. Every name Soma puts into SQL text goes through here, so
 * a schema called {@code my "odd" schema} or a table called {@code select} is always safe.
 */
public final class Identifiers {

    private Identifiers() {
    }

    /**
     * Quotes one identifier: wraps it in double quotes and doubles any double quote inside.
     *
     * @throws SomaException if the name is empty or contains a NUL character, which DuckDB cannot store
     */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "an identifier must not be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    "identifier contains a NUL character: " + identifier.replace('\0', '?'));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualify(String schema, String name) {
        return quote(schema) + '.' + quote(name);
    }

    /** Quotes a string literal: {@code it's} becomes {@code 'it''s'}. */
    public static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
