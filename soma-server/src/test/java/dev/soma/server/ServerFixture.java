package dev.soma.server;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import dev.soma.models.Soma;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The fixture the server tests share, registered as a static {@code @RegisterExtension}: before the class, the
 * {@link TestProject} built in a warehouse (in memory, or a file in a temporary folder), an optional job queue on it,
 * and a server started on a free port with a client for it; after the class, all closed and the folder deleted.
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback {

    private final String database;
    private Function<Warehouse, JobQueue> jobs = warehouse -> null;
    private UnaryOperator<SomaServer.Builder> options = builder -> builder;

    private Path dir;
    private Warehouse warehouse;
    private Soma soma;
    private JobQueue queue;
    private SomaServer server;
    private Http http;

    private ServerFixture(String database) {
        this.database = database;
    }

    /** The warehouse in memory. */
    static ServerFixture inMemory() {
        return new ServerFixture(null);
    }

    /** The warehouse in a DuckDB file of this name. */
    static ServerFixture inFile(String database) {
        return new ServerFixture(database);
    }

    /** The job queue the server gets, made on the warehouse once the project is built. */
    ServerFixture queue(Function<Warehouse, JobQueue> queue) {
        this.jobs = queue;
        return this;
    }

    /** A queue whose {@code echo} jobs do nothing, with one such job of this payload waiting. */
    ServerFixture echoJobQueue(String payload) {
        return queue(warehouse -> {
            JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse)).handler("echo", job -> { }).build();
            queue.enqueue(NewJob.of("echo", payload));
            return queue;
        });
    }

    /** More settings of the server (its token, job kinds...); the port is a free one. */
    ServerFixture options(UnaryOperator<SomaServer.Builder> options) {
        this.options = options;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("soma-server-it");
        warehouse = database == null ? Warehouse.inMemory() : Warehouse.open(dir.resolve(database));
        soma = TestProject.build(dir.resolve("project"), warehouse);
        queue = jobs.apply(warehouse);
        SomaServer.Builder builder = SomaServer.builder().soma(soma).warehouse(warehouse);
        if (queue != null) {
            builder.jobQueue(queue);
        }
        server = options.apply(builder).port(0).build().start();
        http = new Http(server.uri());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.stop();
        if (queue != null) {
            queue.close();
        }
        soma.close();
        warehouse.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    Warehouse warehouse() {
        return warehouse;
    }

    Soma soma() {
        return soma;
    }

    JobQueue queue() {
        return queue;
    }

    SomaServer server() {
        return server;
    }

    Http http() {
        return http;
    }
}
