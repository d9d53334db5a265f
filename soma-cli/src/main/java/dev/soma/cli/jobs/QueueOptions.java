package dev.soma.cli.jobs;

import dev.soma.cli.DatabaseLocation;
import dev.soma.cli.ProjectLocation;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the queue is: {@code --db} (DuckDB, the default) or {@code --queue-url} (PostgreSQL). */
public final class QueueOptions {

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project folder whose database holds the queue. Default: the current folder if it has a "
                    + "soma_project.yml, else ./models.")
    Path projectDir;

    @Option(names = "--db", paramLabel = "PATH",
            description = "DuckDB database holding the queue in soma_meta (created if missing). With --queue-url: the warehouse "
                    + "the jobs that write to DuckDB (enrich_book) write to, if given. " + DatabaseLocation.HELP)
    Path db;

    @Mixin
    QueueUrlOption queueUrl = new QueueUrlOption();

    /** Opens the store the flags name. */
    public JobStore open() {
        if (queueUrl.given()) {
            return queueUrl.postgres();
        }
        return JobStores.duckdb(DatabaseLocation.resolve(ProjectLocation.checked(projectDir), null, db));
    }

    /**
     * Opens the store the flags name and the warehouse jobs write to: the queue's own DuckDB database, or with
     * {@code --queue-url} the {@code --db} file if one was given (else none).
     */
    public QueueAndWarehouse openWithWarehouse() {
        if (queueUrl.given()) {
            JobStore store = queueUrl.postgres();
            if (db == null) {
                return new QueueAndWarehouse(store, null);
            }
            try {
                return new QueueAndWarehouse(store, Warehouse.open(db));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        Path file = DatabaseLocation.resolve(ProjectLocation.checked(projectDir), null, db);
        Warehouse warehouse = file == null ? Warehouse.inMemory() : Warehouse.open(file);
        try {
            return new QueueAndWarehouse(JobStores.duckdb(warehouse), warehouse);
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    /** A queue on that store accepting the kinds this build knows (for enqueueing; its handlers are not run here). */
    public JobQueue queue() {
        return KnownJobs.register(JobQueue.builder().store(open()), null).build();
    }

    /** A queue on that store without handlers, for looking and admin commands. */
    public JobQueue adminQueue() {
        return JobQueue.builder().store(open()).build();
    }
}
