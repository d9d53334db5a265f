package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A run killed with SIGKILL in the middle of rebuilding a table leaves the previous table intact. */
class KilledRunIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    /**
     * Runs a project in this process and says when a model starts; killed from outside by the test (this
     * one and {@link KilledWindowRunIT}).
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
                soma.run(Selection.all());
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process victim = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Victim.class.getName(),
                fixture.root().toString(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(victim.getInputStream()))) {
            assertThat(reader.readLine()).isEqualTo("started totals");
            Thread.sleep(1500);
            assertThat(victim.isAlive()).as("the rebuild is still running when killed").isTrue();
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.totals")).isEqualTo(1000);
            assertThat(warehouse.queryLong(CHECK, "SELECT sum(doubled) FROM analytics.totals")).isEqualTo(999_000);
            assertThat(warehouse.relationExists("analytics", "totals__soma_tmp")).isFalse();
        }
    }
}
