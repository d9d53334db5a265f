package dev.soma.cli.jobs;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.JobStore;

/**
 * A worker's job store and the DuckDB warehouse its jobs write to: the same database when the queue is in DuckDB,
 * the {@code --db} file beside a PostgreSQL queue, or none ({@code warehouse} null) for a PostgreSQL queue without
 * {@code --db}. Closes the store, then the warehouse.
 */
public record QueueAndWarehouse(JobStore store, Warehouse warehouse) implements AutoCloseable {

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (warehouse != null) {
                warehouse.close();
            }
        }
    }
}
