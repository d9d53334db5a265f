package dev.soma.cli.demo;

import dev.soma.cli.console.Console;
import dev.soma.core.warehouse.DuplicateRow;
import dev.soma.core.warehouse.RelationChecksum;
import dev.soma.core.warehouse.RelationReader;
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
    private static final String PRODUCTION_SCHEMA = "analytics";
    private static final String PRODUCTION_TABLE = "fact_sales";
    private static final String PRODUCTION = PRODUCTION_SCHEMA + "." + PRODUCTION_TABLE;

    private PublishDemo() {
    }

    /** @return whether production stayed byte-identical (the demo fails otherwise) */
    static boolean run(Console console, Warehouse warehouse, Soma soma) {
        console.line("");
        console.line("6. Publishing safely: a duplicate sale arrives, 'soma build --publish -s stg_sales+' audits it in a shadow");
        RelationReader reader = new RelationReader(warehouse, OWNER);
        RelationChecksum before = reader.checksum(PRODUCTION_SCHEMA, PRODUCTION_TABLE);
        boolean intact;
        try (DuplicateRow duplicate = DuplicateRow.insert(warehouse, OWNER, "raw", "sales")) {
            PublishedBuild build = soma.build(Selection.of("stg_sales+"), Publishing.PUBLISH);
            PublishResult publish = build.publish();
            intact = reader.checksum(PRODUCTION_SCHEMA, PRODUCTION_TABLE).equals(before);
            console.line("   %s", publish.state() == PublishState.FAILED
                    ? "failed in the shadow: " + String.join(", ", publish.failedTests()) : "unexpectedly " + publish.state().label());
            console.line("   %s %s: %s", PRODUCTION, intact ? "unchanged" : "CHANGED", before.summary());
            if (publish.state().open()) {
                soma.discard();
                console.line("   shadow %s looked at and discarded ('soma publish --discard')",
                        String.join(", ", publish.relations().stream().map(r -> r.shadow().toString()).toList()));
            }
        }
        return intact;
    }
}
