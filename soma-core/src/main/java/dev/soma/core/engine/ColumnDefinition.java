package dev.soma.core.engine;

/**
 * One column of a table Soma creates for its own records ({@code soma_meta}), as
 * {@link Engine#createTableIfMissing} spells it.
 *
 * @param name         the column name, unquoted
 * @param type         the engine's type name (for strings, {@code dialect().typeString()})
 * @param required     {@code NOT NULL}, where the engine {@linkplain Engine#supportsConstraints has constraints}
 * @param defaultValue a SQL literal the column takes when an insert leaves it out, or {@code null}; only where the
 *                     engine has constraints, so every insert must name the column anyway
 */
public record ColumnDefinition(String name, String type, boolean required, String defaultValue) {

    /** A column that may be NULL, without a default. */
    public static ColumnDefinition of(String name, String type) {
        return new ColumnDefinition(name, type, false, null);
    }

    /** A {@code NOT NULL} column without a default. */
    public static ColumnDefinition required(String name, String type) {
        return new ColumnDefinition(name, type, true, null);
    }
}
