package dev.soma.cli.jobs;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import picocli.CommandLine.Option;

/**
 * {@code --queue-url}: the job queue on PostgreSQL instead of in a DuckDB database's {@code soma_meta}. A mixin of
 * {@link QueueOptions} ({@code soma jobs}, {@code soma worker}) and of {@code soma enrich}, whose {@code --db} stays
 * the warehouse the books go to.
 */
public final class QueueUrlOption {

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "Use the PostgreSQL queue at this JDBC URL instead, e.g. jdbc:postgresql://localhost:5432/soma?user=soma.")
    String url;

    /** Whether {@code --queue-url} was given. */
    public boolean given() {
        return url != null;
    }

    /** The PostgreSQL store at the URL. */
    public JobStore postgres() {
        return JobStores.postgres(url);
    }

    /** The PostgreSQL store at the URL if one was given, else the DuckDB store on {@code warehouse} (not closed with it). */
    public JobStore open(Warehouse warehouse) {
        return given() ? postgres() : JobStores.duckdb(warehouse);
    }
}
