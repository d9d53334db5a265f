package dev.soma.core.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelationReaderTest {

    private static final SqlOwner TEST = SqlOwner.loader("reader-test");

    @Test
    void previewGivesTheHeaderTheFirstRowsAsTextAndTheCount() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.createSchema("my schema");
            warehouse.execute(TEST, "CREATE TABLE \"my schema\".t AS SELECT range AS id, CASE WHEN range = 1 THEN NULL "
                    + "ELSE 'v' || range END AS label FROM range(5)");
            RelationPreview preview = new RelationReader(warehouse, TEST).preview("my schema", "t", 2);
            assertThat(preview.columns()).containsExactly("id", "label");
            assertThat(preview.rows()).containsExactly(List.of("0", "v0"), List.of("1", "NULL"));
            assertThat(preview.totalRows()).isEqualTo(5);
            assertThat(new RelationReader(warehouse, TEST).count("my schema", "t")).isEqualTo(5);
        }
    }

    @Test
    void theChecksumChangesWithTheContentsNotTheOrderAndADuplicateRowIsRemovedAgain() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.createSchema("raw");
            warehouse.execute(TEST, "CREATE TABLE raw.sales AS SELECT range AS id FROM range(100)");
            RelationReader reader = new RelationReader(warehouse, TEST);
            RelationChecksum before = reader.checksum("raw", "sales");
            assertThat(before.summary()).startsWith("100 rows, checksum ");
            try (DuplicateRow duplicate = DuplicateRow.insert(warehouse, TEST, "raw", "sales")) {
                assertThat(reader.checksum("raw", "sales")).isNotEqualTo(before);
                assertThat(reader.count("raw", "sales")).isEqualTo(101);
            }
            assertThat(reader.checksum("raw", "sales")).isEqualTo(before);
            warehouse.execute(TEST, "CREATE TABLE raw.empty (id INTEGER)");
            assertThat(reader.checksum("raw", "empty").summary()).isEqualTo("0 rows, checksum 0");
        }
    }
}
