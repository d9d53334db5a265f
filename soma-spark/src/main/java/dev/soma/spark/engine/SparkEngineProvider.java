package dev.soma.spark.engine;

import dev.soma.core.engine.Engine;
import dev.soma.core.engine.EngineProvider;
import dev.soma.core.engine.EngineTarget;
import dev.soma.core.warehouse.ConnectionSource;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.spark.jdbc.SparkJdbc;
import dev.soma.spark.session.SparkSessions;
import dev.soma.spark.session.SparkTarget;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Provides the Spark engine to targets with {@code engine: spark} (found by {@link java.util.ServiceLoader}).
 * Keys: {@code master}, {@code remote}, {@code catalog}, {@code warehouse}, {@code conf}; see
 * {@link SparkTarget}.
 *
 * <pre>{@code
 * try (Warehouse warehouse = SparkEngineProvider.open(SparkTarget.local(2, Path.of("spark-warehouse")))) {
 *     ... Soma.builder().warehouse(warehouse) ...
 * }
 * }</pre>
 */
public final class SparkEngineProvider implements EngineProvider {

    @Override
    public String name() {
        return SparkEngine.NAME;
    }

    @Override
    public Set<String> options() {
        return Set.of("master", "remote", "catalog", "warehouse", "conf");
    }

    @Override
    public Engine engine(Map<String, Object> options) {
        SparkTarget target = SparkTarget.fromMap("spark", options, null);
        return new SparkEngine(target.catalog(), target.catalogHasViews());
    }

    @Override
    public Warehouse open(EngineTarget target) {
        Map<String, Object> options = new LinkedHashMap<>(target.options());
        return open(SparkTarget.fromMap(target.target(), options, target.projectRoot()));
    }

    /**
     * A session of its own for each connection, as each DuckDB connection has its own temporary tables:
     * it shares the SparkContext, the catalogs and the cache, not temporary views or {@code SET}s.
     */
    private static SparkSession isolated(SparkSession spark) {
        try {
            return spark.newSession();
        } catch (UnsupportedOperationException e) {
            return spark;
        }
    }

    /** Starts a session for {@code target} and a warehouse on it; closing the warehouse stops the session. */
    public static Warehouse open(SparkTarget target) {
        SparkSession spark = SparkSessions.start(target);
        return warehouse(spark, target, true);
    }

    /**
     * A warehouse on a session the caller already has (an application's own, a test's shared one).
     *
     * @param stopOnClose whether closing the warehouse stops {@code spark}
     */
    public static Warehouse warehouse(SparkSession spark, SparkTarget target, boolean stopOnClose) {
        SparkEngine engine = new SparkEngine(target.catalog(), target.catalogHasViews());
        return Warehouse.connect(engine, "spark " + target.url() + " (catalog " + target.catalog() + ")", new ConnectionSource() {
            @Override
            public Connection open() {
                return SparkJdbc.connect(isolated(spark));
            }

            @Override
            public void close() {
                if (stopOnClose) {
                    spark.stop();
                }
            }
        });
    }
}
