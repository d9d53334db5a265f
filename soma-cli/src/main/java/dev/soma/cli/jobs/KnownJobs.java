package dev.soma.cli.jobs;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.enrich.EnrichJobs;
import dev.soma.jobs.JobQueue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job kinds this build of the CLI can run ({@code soma worker}) and accept ({@code soma jobs enqueue}).
 * Modules that bring job kinds register theirs through their own registry ({@link EnrichJobs}).
 *
 * <ul>
 *   <li>{@code noop}: does nothing (smoke tests, benchmarks);</li>
 *   <li>{@code sleep}: waits {@code {"ms": N}} milliseconds (at most 60,000);</li>
 *   <li>{@code enrich_book}: book enrichment (docs/enrichment.md), services from {@code SOMA_*} variables, books
 *       written to the warehouse given (without one, its jobs fail with the fix: pass {@code --db}).</li>
 * </ul>
 */
public final class KnownJobs {

    private static final Pattern MILLIS = Pattern.compile("\"ms\"\\s*:\\s*(\\d{1,9})");

    private KnownJobs() {
    }

    /** Registers every known kind; {@code warehouse} is where jobs that write to DuckDB write, or null for none. */
    public static JobQueue.Builder register(JobQueue.Builder builder, Warehouse warehouse) {
        return EnrichJobs.register(builder, warehouse, System::getenv)
                .handler("noop", job -> { })
                .handler("sleep", job -> {
                    Matcher matcher = MILLIS.matcher(job.payload());
                    long millis = matcher.find() ? Math.min(60_000, Long.parseLong(matcher.group(1))) : 0;
                    Thread.sleep(millis);
                });
    }
}
