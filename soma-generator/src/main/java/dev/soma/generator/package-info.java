/**
 * The synthetic publishing data generator: deterministic, consistent, realistic data for schema
 * {@code raw} (publishers, books, sales, inventory, campaign events with A/B experiments), written
 * straight into a {@link dev.soma.core.warehouse.Warehouse}.
 *
 * <pre>{@code
 * try (Warehouse warehouse = Warehouse.open(Path.of("soma.duckdb"))) {
 *     GenerationResult result = Generator.with(GenerationConfig.defaults().withScale(10)).generate(warehouse);
 * }
 * }</pre>
 *
 * <p>API: {@link dev.soma.generator.Generator}, {@link dev.soma.generator.GenerationConfig},
 * {@link dev.soma.generator.GenerationResult}, {@link dev.soma.generator.GenerationListener},
 * {@link dev.soma.generator.RawTable}, {@link dev.soma.generator.ExperimentDesign}. The subpackages
 * are internal. The planted signals are documented in the module's README.
 */
package dev.soma.generator;
