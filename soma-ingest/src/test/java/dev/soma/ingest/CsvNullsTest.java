package dev.soma.ingest;

import dev.soma.ingest.internal.config.SpecReader;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NULL in CSV files: a quoted empty field is an empty string (csv-spectrum's {@code empty} and {@code empty_crlf}),
 * only the declared spellings of NULL ({@code csv.null_values}, default an unquoted empty field) are NULL.
 */
class CsvNullsTest extends WarehouseTest {

    private LoadResult load(CsvSpec csv, List<ColumnSpec> columns) {
        SourceSpec spec = new SourceSpec("raw.t", "raw", "t", csv, columns, List.of(), null, WriteMode.APPEND, null);
        return Ingest.builder().warehouse(warehouse).baseDir(dir).source(spec).build().load("raw.t");
    }

    /** Each row as {@code a|b|c}, NULL shown as {@code <null>}, in file order. */
    private List<String> rows() {
        return warehouse.queryList(TEST, "SELECT concat_ws('|', coalesce(a::VARCHAR, '<null>'), coalesce(b, '<null>'), "
                + "coalesce(c, '<null>')) FROM raw.t ORDER BY rowid", rs -> rs.getString(1));
    }

    private static List<ColumnSpec> abc(String aType) {
        return List.of(ColumnSpec.of("a", aType), ColumnSpec.of("b", "VARCHAR"), ColumnSpec.of("c", "VARCHAR"));
    }

    @Test
    void csvSpectrumEmptyQuotedFieldsAreEmptyStrings() throws IOException {
        // csv-spectrum csvs/empty.csv and csvs/empty_crlf.csv; expected json: {"a":"1","b":"","c":""}, {"a":"2","b":"3","c":"4"}
        for (String eol : List.of("\n", "\r\n")) {
            Files.writeString(dir.resolve("empty.csv"), "a,b,c" + eol + "1,\"\",\"\"" + eol + "2,3,4" + eol, StandardCharsets.UTF_8);
            warehouse.execute(TEST, "DROP TABLE IF EXISTS raw.t");
            LoadResult result = load(CsvSpec.of("empty.csv"), abc("VARCHAR"));
            assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(2);
            assertThat(rows()).as("line ends " + eol.length()).containsExactly("1||", "2|3|4");
        }
    }

    @Test
    void onlyAnUnquotedEmptyFieldIsNullByDefault() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "a,b,c\nx,,\"\"\ny,NULL,\"NULL\"\n", StandardCharsets.UTF_8);
        load(CsvSpec.of("t.csv"), abc("VARCHAR"));
        assertThat(rows()).containsExactly("x|<null>|", "y|NULL|NULL");
    }

    @Test
    void declaredNullSpellingsMatchUnquotedFieldsOnly() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "a,b,c\nx,,\"\"\ny,NULL,\"NULL\"\nz,N/A,\"N/A\"\n", StandardCharsets.UTF_8);
        load(new CsvSpec("t.csv", null, true, null, null, null, List.of("", "NULL", "N/A")), abc("VARCHAR"));
        assertThat(rows()).containsExactly("x|<null>|", "y|<null>|NULL", "z|<null>|N/A");
    }

    @Test
    void aQuotedEmptyFieldInATypedColumnIsMissingNotABadValue() throws IOException {
        // A quote-everything export: the empty number is "" (blank text is missing in a typed column), the line after
        // it keeps its record number.
        Files.writeString(dir.resolve("t.csv"), "a,b,c\n\"1\",\"x\",\"\"\n\"\",\"y\",\"\"\n\"oops\",\"z\",\"\"\n\"4\",\"w\",\"\"\n",
                StandardCharsets.UTF_8);
        LoadResult result = load(CsvSpec.of("t.csv"), abc("INTEGER"));
        assertThat(result.rowsRead()).as(result.toString()).isEqualTo(4);
        assertThat(result.rowsLoaded()).isEqualTo(3);
        assertThat(result.rowsRejected()).isEqualTo(1);
        assertThat(warehouse.queryList(TEST, "SELECT coalesce(a::VARCHAR, '<null>') || '|' || b || '|' || c FROM raw.t ORDER BY b",
                rs -> rs.getString(1))).containsExactly("4|w|", "1|x|", "<null>|y|");
        List<RejectedRow> rejects = Ingest.builder().warehouse(warehouse).source(new SourceSpec("raw.t", "raw", "t",
                CsvSpec.of("t.csv"), abc("INTEGER"), List.of(), null, WriteMode.APPEND, null)).build().rejects("raw.t", 10);
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0).record()).isEqualTo(3);
        assertThat(rejects.get(0).reasons()).containsExactly("a: 'oops' is not a INTEGER");
    }

    @Test
    void nullValuesAreReadFromTheCsvBlock() {
        List<SourceSpec> specs = new SpecReader().read("sources.yml", """
                sources:
                  - name: raw
                    tables:
                      - name: t
                        ingest:
                          csv: {path: t.csv, null_values: ['', NULL, 'N/A']}
                          columns: [a]
                """);
        assertThat(((CsvSpec) specs.get(0).kind()).nullValues()).containsExactly("", "NULL", "N/A");
        assertThat(((CsvSpec) new SpecReader().read("sources.yml", """
                sources:
                  - name: raw
                    tables:
                      - name: t
                        ingest: {csv: {path: t.csv}, columns: [a]}
                """).get(0).kind()).nullValues()).containsExactly("");
        assertThatThrownBy(() -> new SpecReader().read("sources.yml", """
                sources:
                  - name: raw
                    tables:
                      - name: t
                        ingest: {csv: {path: t.csv, null_values: []}, columns: [a]}
                """)).hasMessageContaining("sources.yml:5").hasMessageContaining("csv.null_values must name at least one text");
    }
}
