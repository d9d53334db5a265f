package dev.soma.spark.session;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Spark target of {@code soma_project.yml}, e.g.
 *
 * <pre>{@code
 * targets:
 *   spark:  {engine: spark, master: "local[2]", catalog: iceberg, warehouse: spark-warehouse,
 *            conf: {spark.executor.memory: 2g}}
 *   remote: {engine: spark, remote: "sc://spark-host:15002", catalog: iceberg}
 * }</pre>
 *
 * @param name      the target's name, for messages
 * @param master    Spark's master URL for an in-process session ({@code local[N]}, {@code spark://…},
 *                  {@code yarn}, …), or {@code null} when {@code remote} is set; default {@code local[*]}
 * @param remote    a Spark Connect URL ({@code sc://host:port}), or {@code null} for an in-process session
 * @param catalog   the Iceberg catalog models are written to; default {@code iceberg}
 * @param warehouse the Hadoop catalog's folder (default {@code spark-warehouse}), resolved against the
 *                  project folder; unused when {@code conf} makes the catalog {@code rest} or {@code hive}
 * @param conf      Spark configuration passed through as it is; it wins over Soma's defaults
 * @param threads   how many models run at once; default 4
 */
public record SparkTarget(String name, String master, String remote, String catalog, Path warehouse,
                          Map<String, String> conf, int threads) {

    /** The keys a Spark target may have; anything else is a mistake. */
    public static final Set<String> KEYS = Set.of("engine", "master", "remote", "catalog", "warehouse", "conf", "threads");

    public static final String DEFAULT_MASTER = "local[*]";
    public static final String DEFAULT_CATALOG = "iceberg";
    public static final String DEFAULT_WAREHOUSE = "spark-warehouse";

    public SparkTarget {
        Objects.requireNonNull(name, "name");
        if (master != null && remote != null) {
            throw invalid(name, "has both master: and remote:; keep master: for a session in this process, "
                    + "or remote: for a Spark Connect server");
        }
        if (master == null && remote == null) {
            master = DEFAULT_MASTER;
        }
        if (remote != null && !remote.startsWith("sc://")) {
            throw invalid(name, "remote: " + remote + " is not a Spark Connect URL; write it as sc://host:15002");
        }
        catalog = catalog == null ? DEFAULT_CATALOG : catalog;
        if (!catalog.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw invalid(name, "catalog: " + catalog + " is not a plain name; use letters, digits and _");
        }
        warehouse = warehouse == null ? Path.of(DEFAULT_WAREHOUSE) : warehouse;
        conf = Map.copyOf(conf == null ? Map.of() : conf);
        if (threads < 1) {
            throw invalid(name, "threads: " + threads + " must be at least 1");
        }
    }

    /** A local target for tests and the Java API: {@code local[N]}, a Hadoop catalog in {@code warehouse}. */
    public static SparkTarget local(int cores, Path warehouse) {
        return new SparkTarget("spark", "local[" + cores + "]", null, DEFAULT_CATALOG, warehouse, Map.of(), cores);
    }

    /**
     * Reads a target's map from {@code soma_project.yml}.
     *
     * @param projectDir relative {@code warehouse:} paths are resolved against it
     */
    public static SparkTarget fromMap(String name, Map<String, ?> target, Path projectDir) {
        for (String key : new TreeMap<>(target).keySet()) {
            if (!KEYS.contains(key)) {
                throw invalid(name, "has an unknown key " + key + "; a Spark target knows " + List.copyOf(new java.util.TreeSet<>(KEYS)));
            }
        }
        Object confValue = target.get("conf");
        Map<String, String> conf = new LinkedHashMap<>();
        if (confValue instanceof Map<?, ?> map) {
            map.forEach((key, value) -> conf.put(String.valueOf(key), String.valueOf(value)));
        } else if (confValue != null) {
            throw invalid(name, "conf: must be a map of Spark settings, e.g. conf: {spark.executor.memory: 2g}");
        }
        String warehouse = string(target.get("warehouse"));
        Path warehousePath = Path.of(warehouse == null ? DEFAULT_WAREHOUSE : warehouse);
        if (!warehousePath.isAbsolute() && projectDir != null) {
            warehousePath = projectDir.resolve(warehousePath);
        }
        Object threads = target.get("threads");
        int threadCount;
        try {
            threadCount = threads == null ? 4 : Integer.parseInt(String.valueOf(threads));
        } catch (NumberFormatException e) {
            throw invalid(name, "threads: " + threads + " is not a whole number");
        }
        return new SparkTarget(name, string(target.get("master")), string(target.get("remote")),
                string(target.get("catalog")), warehousePath.toAbsolutePath().normalize(), conf, threadCount);
    }

    /** Whether the session runs on a Spark Connect server rather than in this process. */
    public boolean isRemote() {
        return remote != null;
    }

    /** Where the session runs: the master URL, or the Spark Connect URL. */
    public String url() {
        return isRemote() ? remote : master;
    }

    /**
     * The Iceberg catalog type: {@code hadoop} unless {@code conf} sets
     * {@code spark.sql.catalog.<catalog>.type} (e.g. {@code rest}, {@code hive}) or a
     * {@code catalog-impl}.
     */
    public String catalogType() {
        String type = conf.get(catalogKey("type"));
        if (type != null) {
            return type;
        }
        return conf.containsKey(catalogKey("catalog-impl")) ? "custom" : "hadoop";
    }

    /**
     * Whether the catalog keeps views. Iceberg's Hadoop catalog has none; a REST catalog may (and the
     * Hive one does through its view support).
     */
    public boolean catalogHasViews() {
        return !"hadoop".equals(catalogType());
    }

    /** {@code spark.sql.catalog.<catalog>.<suffix>}. */
    public String catalogKey(String suffix) {
        return "spark.sql.catalog." + catalog + (suffix.isEmpty() ? "" : "." + suffix);
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static SomaException invalid(String target, String problem) {
        return new SomaException(ErrorCode.INVALID_CONFIG, "target " + target + " " + problem);
    }
}
