package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot run killed with SIGKILL halfway leaves the previous snapshot as it was. */
class KilledSnapshotIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    @Test
    void aKilledSnapshotRunLeavesThePreviousSnapshot() throws Exception {
        Path db = dir.resolve("killed.duckdb");
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: items
                        """)
                .file("snapshots/snapshots.yml", """
                        snapshots:
                          - name: items_snapshot
                            relation: source('raw', 'items')
                            config: {unique_key: id, strategy: check, check_cols: all}
                        """);
        try (Warehouse warehouse = Warehouse.open(db)) {
            warehouse.createSchema("raw");
            warehouse.execute(CHECK, "CREATE VIEW raw.items AS SELECT range AS id, range::HUGEINT * 2 AS v FROM range(1000)");
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.snapshot(Selection.all()).isSuccess()).isTrue();
            }
            // The next run reads a cross join of 10^11 rows, far from done when the kill comes.
            warehouse.execute(CHECK, "CREATE OR REPLACE VIEW raw.items AS SELECT a.range AS id, sum(b.range)::HUGEINT AS v "
                    + "FROM range(1000000) a, range(100000) b GROUP BY a.range");
        }
        SecondJvm.killWhileRunning(KilledRunIT.Victim.class, List.of(fixture.root().toString(), db.toString(), "snapshot"),
                "started items_snapshot", 1500, "the snapshot is still running when killed");
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.items_snapshot")).isEqualTo(1000);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.items_snapshot WHERE dbt_valid_to IS NULL"))
                    .isEqualTo(1000);
            assertThat(warehouse.queryLong(CHECK, "SELECT sum(v) FROM main.items_snapshot")).isEqualTo(999_000);
        }
    }
}
