package dev.soma.spark;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.spark.engine.SparkEngineProvider;
import dev.soma.spark.session.SparkSessions;
import dev.soma.spark.session.SparkTarget;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one local[2] Spark session of a test JVM (a JVM holds one SparkContext, and starting one costs
 * seconds), with an Iceberg Hadoop catalog in a temporary folder and a Spark Connect port chosen
 * up front so a test can start the Connect server on it. Stopped when the JVM exits.
 */
public final class SharedSpark {

    private static SparkSession session;
    private static SparkTarget target;
    private static int connectPort;
    private static long startMillis;

    private SharedSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            try {
                Path warehouse = Files.createTempDirectory("soma-spark-warehouse");
                connectPort = freePort();
                target = new SparkTarget("test", "local[2]", null, "iceberg", warehouse,
                        Map.of("spark.connect.grpc.binding.address", "127.0.0.1",
                                "spark.connect.grpc.binding.port", String.valueOf(connectPort),
                                "spark.sql.shuffle.partitions", "2",
                                "spark.default.parallelism", "2"), 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long started = System.nanoTime();
            session = SparkSessions.start(target);
            startMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("[SharedSpark] local[2] session started in " + startMillis + " ms");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    public static synchronized SparkTarget target() {
        session();
        return target;
    }

    public static synchronized int connectPort() {
        session();
        return connectPort;
    }

    /** A warehouse on the shared session; closing it leaves the session running. */
    public static Warehouse warehouse() {
        return SparkEngineProvider.warehouse(session(), target(), false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
