package dev.soma.ingest.isbn;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.internal.load.Validation;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ISBN parser in Java ({@link Isbn}) and the ingest rule in SQL ({@link Validation}) against one table of cases:
 * both must accept the same texts and give the same ISBN-13.
 */
class IsbnTest {

    /** Input text → its ISBN-13, or null when it is not an ISBN. */
    static final Map<String, String> CASES = cases();

    private static Map<String, String> cases() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("9780306406157", "9780306406157");
        c.put("978-0-306-40615-7", "9780306406157");
        c.put("978 0 306 40615 7", "9780306406157");
        c.put("978\t0\t306\t40615\t7", "9780306406157");           // tab
        c.put("978\u00A00\u00A0306\u00A040615\u00A07", "9780306406157");   // no-break space
        c.put("0-306-40615-2", "9780306406157");                   // ISBN-10 → 13
        c.put("0306406152", "9780306406157");
        c.put("0\t306\t40615\t2", "9780306406157");
        c.put("080442957X", "9780804429573");
        c.put("080442957x", "9780804429573");
        c.put("0-8044-2957-X", "9780804429573");
        c.put("9791032305690", "9791032305690");                   // 979 prefix
        c.put("979-10-323-0569-0", "9791032305690");
        c.put("9780306406158", null);                              // bad check digit
        c.put("0306406153", null);
        c.put("0000000000000", null);                              // a valid EAN check digit, but no book prefix
        c.put("4006381333931", null);                              // an EAN-13 of a product, not a book
        c.put("9770306406157", null);                              // 977: serials (ISSN), not books
        c.put("X804429570", null);                                 // X only as the check digit
        c.put("97803064061570", null);                             // 14 digits
        c.put("978030640615", null);                               // 12 digits
        c.put("978_0306406157", null);                             // not a separator
        c.put("978.0.306.40615.7", null);
        c.put("abc", null);
        c.put("", null);
        c.put("\uFF19780306406157", null);                          // a full-width digit
        return c;
    }

    @Test
    void javaParsesEveryCase() {
        Map<String, String> actual = new LinkedHashMap<>();
        CASES.keySet().forEach(text -> actual.put(text, Isbn.isbn13(text)));
        assertThat(actual).containsExactlyEntriesOf(CASES);
    }

    @Test
    void theIngestRuleInSqlAgreesOnEveryCase() {
        SourceSpec spec = new SourceSpec("raw.t", "raw", "t", CsvSpec.of("t.csv"),
                List.of(new ColumnSpec("isbn", null, null, false, null, null, null, List.of(), true),
                        ColumnSpec.of("n", "INTEGER")), List.of(), null, WriteMode.APPEND, null);
        List<String> inputs = new ArrayList<>(CASES.keySet());
        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < inputs.size(); i++) {
            values.add("(" + Identifiers.literal(inputs.get(i)) + ", '" + i + "')");
        }
        String relation = "(SELECT isbn, n, NULL::VARCHAR AS _file, NULL::VARCHAR AS _raw FROM (VALUES " + values + ") v(isbn, n))";
        Map<String, String> actual = new LinkedHashMap<>();
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.queryList(SqlOwner.soma("test"), "SELECT isbn, n FROM (" + Validation.checkedQuery(spec, relation, false)
                    + ") ORDER BY n", rs -> actual.put(inputs.get(rs.getInt(2)), rs.getString(1)));
        }
        assertThat(actual).containsExactlyEntriesOf(CASES);
    }

    @Test
    void isbn13BecomesIsbn10AndBack() {
        assertThat(Isbn.isbn10("9780140328721")).isEqualTo("0140328726");
        assertThat(Isbn.isbn10("9780804429573")).isEqualTo("080442957X");
        assertThat(Isbn.isbn10("9791032305690")).isNull();        // 979 ISBNs have no ISBN-10
        assertThat(Isbn.isbn10("0000000000000")).isNull();
        assertThat(Isbn.isbn13(Isbn.isbn10("9780306406157"))).isEqualTo("9780306406157");
        assertThat(Isbn.isIsbn13("0000000000000")).isFalse();
        assertThat(Isbn.isIsbn13("978-0306406157")).isFalse();     // isIsbn13 takes the digits alone
        assertThat(Isbn.isIsbn10("080442957X")).isTrue();
    }
}
