package dev.soma.cli.jobs;

import dev.soma.cli.DatabaseLocation;
import dev.soma.cli.ProjectLocation;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the queue is: {@code --db} (DuckDB, the default) or {@code --queue-url} (PostgreSQL). */
public final class QueueOptions {

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project folder whose database holds the queue. Default: the current folder if it has a "
                    + "soma_project.yml, else ./models.")
    Path projectDir;

    @Option(names = "--db", paramLabel = "PATH",
            description = "DuckDB database holding the queue in soma_meta (created if missing). " + DatabaseLocation.HELP)
    Path db;

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "Use the PostgreSQL queue at this JDBC URL instead, e.g. jdbc:postgresql://localhost:5432/soma?user=soma.")
    String queueUrl;

    /** Opens the store the flags name. */
    public JobStore open() {
        if (queueUrl != null) {
            return JobStores.postgres(queueUrl);
        }
        return JobStores.duckdb(DatabaseLocation.resolve(ProjectLocation.checked(projectDir), null, db));
    }

    /** A queue on that store with the handlers this build knows. */
    public JobQueue queue() {
        return KnownJobs.register(JobQueue.builder().store(open())).build();
    }

    /** A queue on that store without handlers, for looking and admin commands. */
    public JobQueue adminQueue() {
        return JobQueue.builder().store(open()).build();
    }
}
