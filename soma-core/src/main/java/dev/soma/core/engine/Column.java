package dev.soma.core.engine;

/**
 * One column of a relation, as {@link Engine#columns} reads it.
 *
 * @param name the column name
 * @param type the engine's name of its type ({@code VARCHAR}, {@code string}, {@code DECIMAL(10,2)}, …);
 *             compare types only between relations of one engine
 */
public record Column(String name, String type) {
}
