package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run killed with SIGKILL in the middle of rebuilding a table leaves the previous table intact. */
class KilledRunIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    /**
     * Runs a project in this process (its snapshots if a third argument says {@code snapshot}) and says when a node
     * starts; killed from outside by the test (this one, {@link KilledSnapshotIT} and {@link KilledWindowRunIT}).
     */
    public static final class Victim {
        public static void main(String[] args) {
            try (Warehouse warehouse = Warehouse.open(Path.of(args[1]));
                 Soma soma = Soma.builder().project(Path.of(args[0])).warehouse(warehouse).threads(1)
                         .listener(new RunListener() {
                             @Override
                             public void nodeStarted(NodeInfo node, int index, int total) {
                                 System.out.println("started " + node.name());
                                 System.out.flush();
                             }
                         }).build()) {
                if (args.length > 2 && args[2].equals("snapshot")) {
                    soma.snapshot(Selection.all());
                } else {
                    soma.run(Selection.all());
                }
            }
        }
    }

    @Test
    void aKilledRebuildLeavesTheOldTableReadable() throws Exception {
        Path db = dir.resolve("killed.duckdb");
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("marts/totals.sql", "select range as id, range * 2 as doubled from range(1000)");
        try (Warehouse warehouse = Warehouse.open(db); Soma soma = fixture.soma(warehouse).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
        // The rebuild takes minutes: a cross join of 10^11 rows, far from done when the kill comes.
        fixture.file("marts/totals.sql", """
                select a.range as id, sum(b.range) as doubled
                from range(1000000) a, range(100000) b group by a.range
                """);
        SecondJvm.killWhileRunning(Victim.class, List.of(fixture.root().toString(), db.toString()), "started totals", 1500,
                "the rebuild is still running when killed");
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.totals")).isEqualTo(1000);
            assertThat(warehouse.queryLong(CHECK, "SELECT sum(doubled) FROM analytics.totals")).isEqualTo(999_000);
            assertThat(warehouse.relationExists("analytics", "totals__soma_tmp")).isFalse();
        }
    }
}
