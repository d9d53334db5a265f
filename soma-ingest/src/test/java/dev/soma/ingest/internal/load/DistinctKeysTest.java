package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bitmap proof that no key repeats: exact where it decides, silent (false) where it does not apply. */
class DistinctKeysTest {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    Path dir;
    private Warehouse warehouse;
    private Session session;

    @BeforeEach
    void open() {
        warehouse = Warehouse.open(dir.resolve("keys.duckdb"));
        session = warehouse.openSession();
    }

    @AfterEach
    void close() {
        session.close();
        warehouse.close();
    }

    private static SourceSpec keyedBy(List<String> key, ColumnSpec... columns) {
        return new SourceSpec("raw.t", "raw", "t", CsvSpec.of("t.csv"), List.of(columns), key, null, WriteMode.APPEND, null);
    }

    private boolean proven(SourceSpec spec, String rows, String candidate) {
        session.execute(OWNER, "CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM (VALUES " + rows + ") v(id, ok)");
        return DistinctKeys.proven(session, OWNER, spec, "t", candidate);
    }

    @Test
    void distinctIntegerKeysAreProvenAndARepeatIsCaught() {
        SourceSpec spec = keyedBy(List.of("id"), ColumnSpec.of("id", "BIGINT"));
        assertThat(proven(spec, "(5::BIGINT, true), (1, true), (3, true), (-2, true)", "ok")).isTrue();
        assertThat(proven(spec, "(5::BIGINT, true), (1, true), (3, true), (1, true)", "ok")).isFalse();
        // A repeat at the ends of the range, and more rows than the range has values.
        assertThat(proven(spec, "(1::BIGINT, true), (9, true), (9, true)", "ok")).isFalse();
        assertThat(proven(spec, "(7::BIGINT, true), (7, true)", "ok")).isFalse();
    }

    @Test
    void onlyTheCandidateRowsCount() {
        SourceSpec spec = keyedBy(List.of("id"), ColumnSpec.of("id", "INTEGER"));
        assertThat(proven(spec, "(1::INTEGER, true), (2, true), (2, false)", "ok")).isTrue();
        assertThat(proven(spec, "(1::INTEGER, false), (1, false)", "ok")).isTrue();   // no candidate at all
    }

    @Test
    void theExtremesOfATypeFitTheBitmap() {
        SourceSpec spec = keyedBy(List.of("id"), ColumnSpec.of("id", "UBIGINT"));
        assertThat(proven(spec, "(18446744073709551615::UBIGINT, true), (18446744073709551614, true)", "ok")).isTrue();
        SourceSpec signed = keyedBy(List.of("id"), ColumnSpec.of("id", "bigint"));
        assertThat(proven(signed, "(CAST('-9223372036854775808' AS BIGINT), true), (-9223372036854775807, true)", "ok")).isTrue();
    }

    @Test
    void whatTheBitmapCannotDecideIsLeftToTheCount() {
        // A range far wider than the rows, even without a repeat.
        assertThat(proven(keyedBy(List.of("id"), ColumnSpec.of("id", "BIGINT")), "(1::BIGINT, true), (1000000000, true)", "ok"))
                .isFalse();
        // Not an integer, a composite key, a key with a fallback, a NULL key among the candidates.
        assertThat(proven(keyedBy(List.of("id"), ColumnSpec.of("id", "VARCHAR")), "('a', true), ('b', true)", "ok")).isFalse();
        assertThat(proven(keyedBy(List.of("id", "ok"), ColumnSpec.of("id", "BIGINT"), ColumnSpec.of("ok", "BOOLEAN")),
                "(1::BIGINT, true), (2, true)", "ok")).isFalse();
        SourceSpec fallback = new SourceSpec("raw.t", "raw", "t", CsvSpec.of("t.csv"), List.of(ColumnSpec.of("id", "BIGINT"),
                ColumnSpec.of("ok", "BOOLEAN")), List.of("id"), null, WriteMode.APPEND, null, List.of("ok"));
        assertThat(proven(fallback, "(1::BIGINT, true), (2, true)", "ok")).isFalse();
        assertThat(proven(keyedBy(List.of("id"), ColumnSpec.of("id", "BIGINT")), "(1::BIGINT, true), (NULL, true)", "ok")).isFalse();
    }
}
