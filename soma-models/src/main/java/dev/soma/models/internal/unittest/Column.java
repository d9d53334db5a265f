package dev.soma.models.internal.unittest;

/**
 * A column of an input or output: its name and DuckDB type.
 *
 * @param type the DuckDB type, or {@code null} when nothing says (a source column declared without a type)
 */
record Column(String name, String type) {

    Column withType(String newType) {
        return new Column(name, newType);
    }
}
