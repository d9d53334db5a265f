package dev.soma.cli.demo;

import dev.soma.cli.console.Console;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.Selection;

/**
 * The demo's write-audit-publish step (docs/publishing.md): a duplicate sale lands in {@code raw.sales},
 * {@code build --publish} of {@code stg_sales+} fails its tests in the shadow, and production is shown
 * unchanged by checksum; then the bad row and the shadow are removed.
 */
final class PublishDemo {

    private static final SqlOwner OWNER = SqlOwner.loader("demo");
    private static final String PRODUCTION = "analytics.fact_sales";

    private PublishDemo() {
    }

    /** @return whether production stayed byte-identical (the demo fails otherwise) */
    static boolean run(Console console, Warehouse warehouse, Soma soma) {
        console.line("");
        console.line("6. Publishing safely: a duplicate sale arrives, 'soma build --publish -s stg_sales+' audits it in a shadow");
        String before = checksum(warehouse);
        warehouse.execute(OWNER, "INSERT INTO raw.sales SELECT * FROM raw.sales LIMIT 1");
        boolean intact;
        try {
            PublishedBuild build = soma.build(Selection.of("stg_sales+"), Publishing.PUBLISH);
            PublishResult publish = build.publish();
            intact = checksum(warehouse).equals(before);
            console.line("   %s", publish.state() == PublishState.FAILED
                    ? "failed in the shadow: " + String.join(", ", publish.failedTests()) : "unexpectedly " + publish.state().label());
            console.line("   %s %s: %s", PRODUCTION, intact ? "unchanged" : "CHANGED", before);
            if (publish.state().open()) {
                soma.discard();
                console.line("   shadow %s looked at and discarded ('soma publish --discard')",
                        String.join(", ", publish.relations().stream().map(r -> r.shadow().toString()).toList()));
            }
        } finally {
            warehouse.execute(OWNER, "DELETE FROM raw.sales WHERE rowid = (SELECT max(rowid) FROM raw.sales)");
        }
        return intact;
    }

    private static String checksum(Warehouse warehouse) {
        return warehouse.query(OWNER, "SELECT format('{:,} rows, checksum {}', count(*), sum(hash(f))) FROM " + PRODUCTION + " f",
                rs -> rs.next() ? rs.getString(1) : "?");
    }
}
