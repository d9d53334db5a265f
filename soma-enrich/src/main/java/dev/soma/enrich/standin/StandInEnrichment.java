package dev.soma.enrich.standin;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.enrich.EnrichTables;
import dev.soma.enrich.Enrichment;
import dev.soma.enrich.ExtractorConfig;

import java.time.Duration;

/**
 * Enrichment pointed at a {@link StandInBookServer} instead of the real services: no rate limit, a short timeout, no
 * API key. What {@code soma demo --enrich} runs.
 */
public final class StandInEnrichment {

    private static final SqlOwner OWNER = SqlOwner.soma("demo");

    private StandInEnrichment() {
    }

    /** An {@link Enrichment} on {@code warehouse} asking {@code server} as both services. */
    public static Enrichment enrichment(StandInBookServer server, Warehouse warehouse) {
        ExtractorConfig local = ExtractorConfig.openLibrary().withBaseUrl(server.url()).withRequestsPerMinute(0)
                .withTimeout(Duration.ofSeconds(5));
        return Enrichment.builder().warehouse(warehouse).openLibrary(local).googleBooks(local).env(name -> null).build();
    }

    /**
     * Empties the enriched tables and {@code raw.curated_books}: publishing enqueues every curated book loaded so far,
     * so books ingested before (another scale, another file) would be enriched too; a demo starts from its own CSV alone.
     */
    public static void reset(Warehouse warehouse) {
        EnrichTables.clear(warehouse);
        if (warehouse.relationExists("raw", "curated_books")) {
            warehouse.execute(OWNER, "DELETE FROM raw.curated_books");
        }
    }
}
