package dev.soma.spark.session;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the one Spark session a target runs on.
 *
 * <p>In process ({@code master:}), the session is Spark's classic one, created with
 * {@code getOrCreate()}: a JVM holds one SparkContext, so two targets in one JVM share it. Remote
 * ({@code remote: sc://…}), it is a Spark Connect client; the server must have been started with
 * Iceberg's runtime and SQL extensions (static settings a client cannot change), and the catalog
 * settings are sent as session settings.
 *
 * <p>Settings, in order of precedence: the target's {@code conf:}, then Soma's defaults:
 * the session time zone is UTC (Spark's timestamps are zone-aware; DuckDB's are not), ANSI mode is
 * left as Spark's default (on), Iceberg's SQL extensions are on, the target's catalog is an Iceberg
 * {@code SparkCatalog} (type {@code hadoop} in {@code warehouse:} unless {@code conf:} says
 * otherwise) and is the default catalog, the web UI is off, shuffles use few partitions.
 */
public final class SparkSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);
    private static final int PROBE_TIMEOUT_MS = 3000;

    private SparkSessions() {
    }

    /**
     * Starts (or joins) the session for {@code target}.
     *
     * @throws SparkUnavailableException when the master or server cannot be reached, or the JVM was
     *                                   started without Spark's {@code --add-opens} options
     */
    public static SparkSession start(SparkTarget target) {
        requireOpenModules(target);
        if (target.isRemote()) {
            return connect(target);
        }
        probeMaster(target);
        SparkSession.Builder builder = SparkSession.builder().appName("soma").master(target.master());
        settings(target, false).forEach(builder::config);
        try {
            long started = System.nanoTime();
            SparkSession session = builder.getOrCreate();
            LOG.debug("Spark session on {} in {} ms", target.master(), (System.nanoTime() - started) / 1_000_000);
            return session;
        } catch (RuntimeException | LinkageError e) {
            throw new SparkUnavailableException(target.master(), "cannot start Spark on master " + target.master()
                    + " (target " + target.name() + "): " + firstLine(e) + "; check master: and conf:", e);
        }
    }

    /** The settings a session of {@code target} starts with ({@code remote}: only those a client may set). */
    static Map<String, String> settings(SparkTarget target, boolean remote) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!remote) {
            settings.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
            settings.put("spark.ui.enabled", "false");
            settings.put("spark.ui.showConsoleProgress", "false");
            settings.put("spark.sql.shuffle.partitions", "4");
            if (target.master().startsWith("local")) {
                // A sandbox's host name may not resolve; a local session needs no network face.
                settings.put("spark.driver.host", "127.0.0.1");
                settings.put("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        settings.put("spark.sql.session.timeZone", "UTC");
        settings.put(target.catalogKey(""), "org.apache.iceberg.spark.SparkCatalog");
        if (!target.conf().containsKey(target.catalogKey("type")) && !target.conf().containsKey(target.catalogKey("catalog-impl"))) {
            settings.put(target.catalogKey("type"), "hadoop");
        }
        if ("hadoop".equals(target.catalogType())) {
            settings.put(target.catalogKey("warehouse"), target.warehouse().toUri().toString());
        }
        // Each connection has its own Spark session and so its own catalog instance: a cached table would
        // not see another connection's commit (a model rebuilt on another thread). Load tables fresh.
        settings.put(target.catalogKey("cache-enabled"), "false");
        settings.put("spark.sql.defaultCatalog", target.catalog());
        settings.putAll(target.conf());
        return settings;
    }

    private static SparkSession connect(SparkTarget target) {
        URI uri = URI.create(target.remote().replaceFirst("^sc://", "http://"));
        int port = uri.getPort() < 0 ? 15002 : uri.getPort();
        probe(target, uri.getHost(), port, "Spark Connect server");
        try {
            long started = System.nanoTime();
            // connect(): the Connect client even where Spark's classic session is on the class path too.
            SparkSession session = SparkSession.builder().connect().remote(target.remote()).create();
            LOG.debug("Spark Connect client {}", session.getClass().getName());
            settings(target, true).forEach((key, value) -> session.conf().set(key, value));
            LOG.debug("Spark Connect session on {} in {} ms", target.remote(), (System.nanoTime() - started) / 1_000_000);
            return session;
        } catch (RuntimeException | LinkageError e) {
            throw new SparkUnavailableException(target.remote(), "cannot use the Spark Connect server at " + target.remote()
                    + " (target " + target.name() + "): " + firstLine(e) + "; check that it runs and has Iceberg's runtime", e);
        }
    }

    /** A standalone master ({@code spark://host:port}) that does not answer would make Spark retry for a minute. */
    private static void probeMaster(SparkTarget target) {
        if (target.master().startsWith("spark://")) {
            for (String hostPort : target.master().substring("spark://".length()).split(",")) {
                URI uri = URI.create("http://" + hostPort);
                probe(target, uri.getHost(), uri.getPort() < 0 ? 7077 : uri.getPort(), "Spark master");
            }
        }
    }

    private static void probe(SparkTarget target, String host, int port, String what) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new SparkUnavailableException(target.url(), what + " " + target.url() + " is unreachable (target "
                    + target.name() + "): " + reason + "; start it, or fix " + (target.isRemote() ? "remote:" : "master:")
                    + " in soma_project.yml", e);
        }
    }

    /**
     * Spark reflects into java.base; without its {@code --add-opens} options it fails deep inside
     * with an {@code IllegalAccessError}. Say so up front.
     */
    private static void requireOpenModules(SparkTarget target) {
        Module unnamed = SparkSessions.class.getClassLoader().getUnnamedModule();
        if (!Object.class.getModule().isOpen("sun.nio.ch", unnamed)) {
            throw new SparkUnavailableException(target.url(), "this JVM was started without Spark's --add-opens options "
                    + "(target " + target.name() + "); start it with the ./soma launcher, or add the options listed in "
                    + "docs/engines.md to the java command", null);
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
