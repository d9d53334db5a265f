package dev.soma.core.engine;

import dev.soma.core.warehouse.Warehouse;

import java.util.Map;
import java.util.Set;

/**
 * Makes one engine available by name: found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.soma.core.engine.EngineProvider} line in the engine's jar) when a
 * target says {@code engine: <name>}. See {@link Engines}.
 *
 * <p>Implementations have a public no-argument constructor and are thread-safe.
 */
public interface EngineProvider {

    /** The name targets give in {@code engine:}, lower case. */
    String name();

    /**
     * The keys this engine accepts in a target block besides the common ones ({@code engine},
     * {@code database}, {@code threads}, {@code publish}). Any other key is an error naming the
     * closest of these.
     */
    Set<String> options();

    /**
     * The engine for a target with these {@code options}, without connecting to anything: what a
     * compile renders {@code ref()} and the macros with. Equal to the engine of the warehouse
     * {@link #open} gives for the same options.
     */
    Engine engine(Map<String, Object> options);

    /**
     * Whether a target's {@code database:} is a file this engine opens (resolved against the project
     * folder, defaulting to {@code soma.duckdb} there, and required to exist for read-only commands).
     * Engines whose data lives elsewhere (a catalog, a cluster) answer {@code false} and get
     * {@link EngineTarget#database()} only when the target or the caller names one.
     */
    default boolean usesDatabaseFile() {
        return false;
    }

    /**
     * Opens a warehouse on this engine for {@code target}: validated options, settings applied, ready
     * for sessions. The caller closes it.
     *
     * @throws dev.soma.core.error.SomaException with a one-line message (naming the target, the file or
     *                                           URL, and what to do) when it cannot be opened
     */
    Warehouse open(EngineTarget target);
}
