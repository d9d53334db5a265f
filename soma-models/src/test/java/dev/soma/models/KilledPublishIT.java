package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A process killed with SIGKILL while it publishes leaves every live relation all old or all new. */
class KilledPublishIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final int TABLES = 40;
    /** How long after "publishing 3" each round kills: at once, then later and later (the last may land after the commit). */
    private static final long[] DELAYS_MS = {0, 2, 20, 150};

    @TempDir
    Path dir;

    /** Publishes version 2, 3, … of the project until killed, saying when each publish step starts and ends. */
    public static final class Victim {
        public static void main(String[] args) {
            try (Warehouse warehouse = Warehouse.open(Path.of(args[1]))) {
                for (int version = 2; ; version++) {
                    int current = version;
                    try (Soma soma = Soma.builder().project(Path.of(args[0])).warehouse(warehouse).threads(2)
                            .vars(Map.of("version", version)).listener(new RunListener() {
                                @Override
                                public void publishStarted(int relations, boolean atomic) {
                                    System.out.println("publishing " + current);
                                    System.out.flush();
                                }

                                @Override
                                public void publishFinished(PublishResult result) {
                                    System.out.println(result.state().label() + " " + current);
                                    System.out.flush();
                                }
                            }).build()) {
                        soma.build(Selection.all(), Publishing.PUBLISH);
                    }
                }
            }
        }
    }

    private ProjectFixture project() {
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"));
        for (int i = 0; i < TABLES; i++) {
            fixture.file("marts/t" + i + ".sql", "select range as id, ${var(\"version\", 1)} as version from range(1000)");
        }
        fixture.file("marts/v.sql", "<@config materialized=\"view\"/>\nselect max(version) as version from ${ref(\"t0\")}");
        // Every publish appends 1,000 rows, numbered by batch: its increment is applied to the live table in
        // the publish transaction.
        fixture.file("marts/inc.sql", """
                <@config materialized="incremental" incremental_strategy="append"/>
                select range as id, ${var("version", 1)} as version,
                       <#if is_incremental()>(select count(*) from ${this}) // 1000<#else>0</#if> as batch
                from range(1000)
                """);
        return fixture;
    }

    @Test
    void aPublishKilledAtAnyMomentLeavesAllOldOrAllNew() throws Exception {
        Path db = dir.resolve("killed.duckdb");
        ProjectFixture fixture = project();
        try (Warehouse warehouse = Warehouse.open(db); Soma soma = fixture.soma(warehouse).build()) {
            assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int killedBeforeCommit = 0;
        long publishedBefore = 1;
        for (int round = 0; round < 4; round++) {
            Process victim = new ProcessBuilder(java,
                    "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                    "-cp", System.getProperty("java.class.path"),
                    Victim.class.getName(),
                    fixture.root().toString(), db.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String last;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(victim.getInputStream()))) {
                // Let one publish through, then kill at a different moment of the next publish step each round.
                do {
                    last = reader.readLine();
                    assertThat(last).as("the victim publishes").isNotNull();
                } while (!last.equals("publishing 3"));
                Thread.sleep(DELAYS_MS[round]);
                victim.destroyForcibly();
                assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (Warehouse warehouse = Warehouse.open(db)) {
                StringBuilder union = new StringBuilder();
                for (int i = 0; i < TABLES; i++) {
                    union.append(i == 0 ? "" : " UNION ALL ").append("SELECT min(version) AS lo, max(version) AS hi, count(*) AS n FROM analytics.t").append(i);
                }
                List<long[]> rows = warehouse.queryList(CHECK, union.toString(),
                        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                long version = rows.get(0)[0];
                assertThat(version).as("round %d", round).isIn(2L, 3L);
                if (version == 2) {
                    killedBeforeCommit++;
                }
                for (long[] row : rows) {
                    assertThat(row).as("every table holds one version, the same: round %d", round)
                            .containsExactly(version, version, 1000L);
                }
                assertThat(warehouse.queryLong(CHECK, "SELECT version FROM analytics.v")).isEqualTo(version);
                long[] inc = warehouse.query(CHECK, "SELECT count(*), count(DISTINCT batch), max(batch), "
                        + "(SELECT DISTINCT version FROM analytics.inc WHERE batch = (SELECT max(batch) FROM analytics.inc)) "
                        + "FROM analytics.inc", rs -> {
                            rs.next();
                            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                        });
                long publishes = warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publishes WHERE state = 'published'");
                assertThat(inc).as("rows, batches, last batch, its version, with %d publishes: round %d", publishes, round)
                        .containsExactly(1000 * publishes, publishes, publishes - 1, version);
                // Version 2 was published this round; version 3 too if the kill came after its commit.
                long published = warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publishes WHERE state = 'published'");
                assertThat(published - publishedBefore).as("the record agrees with the data: round %d", round)
                        .isEqualTo(version - 1);
                publishedBefore = published;
            }
        }
        // "publishing 3" is printed before the publish transaction begins: version 2 everywhere means the kill
        // landed inside the publish step, before its commit.
        System.out.println("KilledPublishIT: " + killedBeforeCommit + " of 4 rounds killed before the publish commit");
        assertThat(killedBeforeCommit).as("rounds killed inside the publish step").isPositive();
    }
}
