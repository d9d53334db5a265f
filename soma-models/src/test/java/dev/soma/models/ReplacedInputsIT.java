package dev.soma.models;

import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** After its raw input is replaced wholesale, an incremental model rebuilds in full, once. */
class ReplacedInputsIT {

    @TempDir
    Path dir;

    private long rows(Warehouse warehouse) {
        return warehouse.session().query(SqlOwner.soma("test"), "SELECT count(*) FROM analytics.sales_inc", rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    @Test
    void anIncrementalModelRebuildsInFullAfterItsSourceWasReplaced() {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("marts/sales_inc.sql", """
                        <@config materialized="incremental" unique_key="transaction_id"/>
                        select * from ${source('raw', 'sales')}
                        <#if is_incremental()>where transaction_id > (select max(transaction_id) from ${this})</#if>
                        """);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.run(Selection.of("sales_inc")).isSuccess()).isTrue();
                assertThat(rows(warehouse)).isEqualTo(100);

                // A regeneration: new rows whose keys sort below the old ones, as a new seed gives.
                warehouse.session().inTransaction(SqlOwner.loader("test"), tx -> {
                    tx.execute(SqlOwner.loader("test"), "CREATE OR REPLACE TABLE raw.sales AS SELECT 'TXN_0' || i AS transaction_id, "
                            + "'BOOK_000001' AS book_id, 1 AS quantity FROM range(1, 41) t(i)");
                    TableReplacements.recordReplaced(tx, "raw", "sales", "test");
                    return null;
                });
                RunResult rebuilt = soma.run(Selection.of("sales_inc"));
                assertThat(rebuilt.isSuccess()).isTrue();
                assertThat(rebuilt.result("sales_inc").message()).contains("rebuilt in full: raw.sales was replaced since its last build");
                assertThat(rows(warehouse)).isEqualTo(40);

                RunResult next = soma.run(Selection.of("sales_inc"));
                assertThat(next.result("sales_inc").message()).doesNotContain("rebuilt in full");
                assertThat(rows(warehouse)).isEqualTo(40);
            }
        }
    }
}
