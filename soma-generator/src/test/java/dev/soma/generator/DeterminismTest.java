package dev.soma.generator;

import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Same config, same tables: whatever the thread count or chunk size. */
class DeterminismTest {

    private static final GenerationConfig CONFIG = GenerationConfig.defaults()
            .withAsOf(LocalDate.of(2025, 6, 30)).withScale(20).withSales(40_000);

    @Test
    void identicalTablesAtOneAndFourThreadsAndAnyChunkSize() {
        Map<RawTable, String> one = fingerprints(Generator.with(CONFIG.withThreads(1)));
        Map<RawTable, String> four = fingerprints(Generator.with(CONFIG.withThreads(4)));
        Map<RawTable, String> smallChunks = fingerprints(Generator.with(CONFIG.withThreads(4)).chunkRows(777));
        assertThat(four).isEqualTo(one);
        assertThat(smallChunks).isEqualTo(one);
        assertThat(one.get(RawTable.SALES)).startsWith("40000:");
    }

    @Test
    void anotherSeedOrDateChangesEveryTable() {
        Map<RawTable, String> base = fingerprints(Generator.with(CONFIG));
        Map<RawTable, String> seeded = fingerprints(Generator.with(CONFIG.withSeed(43)));
        Map<RawTable, String> later = fingerprints(Generator.with(CONFIG.withAsOf(LocalDate.of(2025, 7, 1))));
        for (RawTable table : RawTable.values()) {
            assertThat(seeded.get(table)).as(table.name()).isNotEqualTo(base.get(table));
            assertThat(later.get(table)).as(table.name()).isNotEqualTo(base.get(table));
        }
    }

    @Test
    void theFingerprintSeesOneChangedValueAndAChangedOrder() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Generator.with(CONFIG).generate(warehouse);
            String before = Fingerprints.of(warehouse, RawTable.SALES);
            warehouse.execute(dev.soma.core.warehouse.SqlOwner.soma("test"),
                    "UPDATE raw.sales SET unit_price = unit_price + 0.01 WHERE transaction_id = 'TXN_00012345'");
            assertThat(Fingerprints.of(warehouse, RawTable.SALES)).isNotEqualTo(before);
            warehouse.execute(dev.soma.core.warehouse.SqlOwner.soma("test"),
                    "UPDATE raw.sales SET unit_price = unit_price - 0.01 WHERE transaction_id = 'TXN_00012345'");
            assertThat(Fingerprints.of(warehouse, RawTable.SALES)).isEqualTo(before);
            warehouse.execute(dev.soma.core.warehouse.SqlOwner.soma("test"),
                    "CREATE OR REPLACE TABLE raw.sales AS SELECT * FROM raw.sales ORDER BY transaction_id DESC");
            assertThat(Fingerprints.of(warehouse, RawTable.SALES)).isNotEqualTo(before);
        }
    }

    private static Map<RawTable, String> fingerprints(Generator generator) {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            generator.generate(warehouse);
            return Fingerprints.of(warehouse);
        }
    }
}
