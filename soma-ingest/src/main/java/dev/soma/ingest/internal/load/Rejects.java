package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.internal.source.Source;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.SourceSpec;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The rejected rows of a load, in one place: which rows are rejected and why, and where each stands in its file.
 *
 * <p>A row is rejected for one of two causes. Either the reader could not make a record of its line (DuckDB's CSV
 * reader: wrong column count, bad encoding, a value that does not convert), and its own rejects tables say why
 * ({@link #fromReader}); or the row was read and broke a rule of its columns, which {@link Validation} writes into
 * {@code _reasons} ({@link #REJECTED}). Both kinds end up in {@code soma_meta.ingest_rejects} ({@link #write}) with
 * one list of reasons each, worded the same way ({@code column: 'value' is not a TYPE}).
 */
public final class Rejects {

    /** Separates reasons inside {@code _reasons}. */
    public static final String SEPARATOR = "chr(31)";
    /** A checked row that broke a rule. */
    public static final String REJECTED = "_reasons IS NOT NULL";
    /** A checked row that broke none. */
    public static final String ACCEPTED = "_reasons IS NULL";

    private Rejects() {
    }

    /**
     * The reader's rejects as {@code file, line, record, raw, reasons} (one row per rejected record) from DuckDB's
     * {@code store_rejects} tables: a value that does not convert as {@code column: 'value' is not a TYPE} (the type
     * as declared), anything else as the reader's error. {@code header}: the files start with a header line.
     */
    public static String fromReader(SourceSpec spec, boolean header, String rejectsTable, String rejectsScan) {
        // DuckDB's line counts records (an embedded newline does not add one), so line minus the header is the record.
        return "SELECT s.file_path AS file, e.line AS line, e.line - " + (header ? 1 : 0)
                + " AS record, any_value(e.csv_line) AS raw, list(CASE WHEN e.error_type = 'CAST' THEN e.column_name"
                + " || ': ''' || regexp_extract(e.error_message, 'string \"(.*)\" to ''', 1) || ''' is not a '"
                + " || " + declaredTypes(spec)
                + " ELSE lower(e.error_type) || ': ' || e.error_message END ORDER BY e.column_idx) AS reasons "
                + "FROM " + Identifiers.quote(rejectsTable) + " e JOIN " + Identifiers.quote(rejectsScan)
                + " s USING (scan_id, file_id) GROUP BY ALL";
    }

    /**
     * The reader's rejected lines whose only errors were values that do not convert ({@code file, line, raw}): the
     * reader stopped at the first such value, so these lines deserve a recheck against every rule.
     */
    public static String castOnlyLines(String rejectsTable, String rejectsScan) {
        return "SELECT s.file_path AS file, e.line AS line, any_value(e.csv_line) AS raw FROM "
                + Identifiers.quote(rejectsTable) + " e JOIN " + Identifiers.quote(rejectsScan)
                + " s USING (scan_id, file_id) GROUP BY ALL HAVING bool_and(e.error_type = 'CAST')";
    }

    /**
     * {@code readerRejects} with the reasons of the {@link #castOnlyLines} replaced by those in {@code rechecked}: a
     * table holding those lines, in {@code (file, line)} order, checked by {@link Validation} (its {@code _reasons});
     * a line that broke no rule there gets NULL reasons (see {@link #castOnlyRescued}).
     */
    public static String withRecheckedReasons(String readerRejects, String castOnlyLines, String rechecked) {
        // A rechecked line that broke no rule was taken into the checked rows: NULL reasons say it is no reject.
        return "SELECT r.file, r.line, r.record, r.raw, CASE WHEN c._rechecked AND c._reasons IS NULL THEN NULL ELSE "
                + "coalesce(string_split(c._reasons, " + SEPARATOR + "), r.reasons) END AS reasons FROM (" + readerRejects
                + ") r LEFT JOIN (SELECT file, line, row_number() OVER (ORDER BY file, line) AS n FROM (" + castOnlyLines
                + ")) cl USING (file, line) LEFT JOIN (SELECT rowid + 1 AS n, true AS _rechecked, _reasons FROM " + rechecked
                + ") c USING (n)";
    }

    /**
     * {@code INSERT INTO checked} the {@link #castOnlyLines} that broke no rule once read as text (a quoted empty field
     * in a typed column is missing, not a bad value): {@code rechecked} holds those lines in {@code (file, line)}
     * order, checked by {@link Validation}; {@code columns} are the declared columns, {@code perFileName} whether the
     * checked rows carry their file in {@code _file} (several files) or NULL (one).
     */
    public static String castOnlyRescued(String checked, String castOnlyLines, String rechecked, List<String> columns,
                                         boolean perFileName) {
        StringJoiner names = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        for (String column : columns) {
            names.add(Identifiers.quote(column));
            values.add("c." + Identifiers.quote(column));
        }
        // The check columns left out take their defaults: no reasons, not rejected, and no file when there is one
        // (a table staged from one file may have no _file column at all).
        return "INSERT INTO " + checked + " (" + names + (perFileName ? ", _file" : "") + ") SELECT " + values
                + (perFileName ? ", cl.file" : "") + " FROM (SELECT rowid + 1 AS n, * FROM " + rechecked
                + ") c JOIN (SELECT file, line, row_number() OVER (ORDER BY file, line) AS n FROM (" + castOnlyLines
                + ")) cl USING (n) WHERE c." + ACCEPTED + " ORDER BY n";
    }

    /** {@code CASE lower(e.column_name) WHEN 'price' THEN 'DECIMAL(10,2)' … END}: the type as declared. */
    private static String declaredTypes(SourceSpec spec) {
        StringJoiner cases = new StringJoiner(" ", "CASE lower(e.column_name) ", " ELSE 'value of its type' END");
        for (ColumnSpec column : spec.columns()) {
            cases.add("WHEN " + Identifiers.literal(column.name().toLowerCase(Locale.ROOT)) + " THEN "
                    + Identifiers.literal(column.type()));
        }
        return cases.toString();
    }

    /**
     * Writes both kinds of rejects into {@code soma_meta.ingest_rejects}, with their record number, on the load's
     * transaction. {@code checked}: the quoted table of checked rows; {@code invalid}: how many of them are
     * {@link #REJECTED}; {@code readerRejects}: how many rows the staged reader rejects yield.
     *
     * <p>Within a file, a checked row's number is its rank among the file's checked rows, plus the records the reader
     * rejected before it: the reader's j-th reject at record r has r - j checked rows before it, so it comes before
     * checked row k when r - j &lt; k.
     */
    static void write(Session tx, SqlOwner owner, String loadAndSource, String checked, Source.Staged staged, long invalid,
                      long readerRejects) {
        write(tx, owner, loadAndSource, checked, rejectedRows(checked), staged, invalid, readerRejects);
    }

    /** The rejected rows of {@code checked} (checked rows with their reasons) as {@link #write}'s {@code badRows}. */
    static String rejectedRows(String checked) {
        return "(SELECT rowid AS r, _file, _raw, _reasons FROM " + checked + " WHERE " + REJECTED + ")";
    }

    /**
     * {@link #write} with the rejected rows of {@code checked} given apart, as {@code badRows}: a relation of
     * {@code r} (the row's id in {@code checked}), {@code _file}, {@code _raw} and {@code _reasons}.
     */
    static void write(Session tx, SqlOwner owner, String loadAndSource, String checked, String badRows, Source.Staged staged,
                      long invalid, long readerRejects) {
        String reasons = "string_split(_reasons, " + SEPARATOR + ")";
        String file = staged.onlyFile() == null ? "NULL" : Identifiers.literal(staged.onlyFile());
        // Every line the reader took out counts when numbering the rows after it, the ones rescued by a recheck too.
        boolean fromReader = staged.readerRejects() != null;
        if (invalid > 0 && staged.perFile()) {
            String shift = fromReader ? "(SELECT count(*) FROM rr WHERE rr.file = bad._file AND rr.record - rr.j < bad.k)" : "0";
            String rr = fromReader ? "rr AS (SELECT file, record, row_number() OVER (PARTITION BY file ORDER BY record) AS j FROM ("
                    + staged.readerRejects() + ")), " : "";
            // One file: the staged table holds it alone, so a row's number is its rowid + 1 (no scan for the
            // first rowid of each file, which at 10M rows is a join of every row).
            String bad = staged.onlyFile() != null
                    ? "bad AS (SELECT r + 1 AS k, " + file + " AS _file, _raw, _reasons FROM " + badRows + ") "
                    : "base AS (SELECT _file AS f, min(rowid) AS first FROM " + checked + " GROUP BY _file), "
                    + "bad AS (SELECT c.r - base.first + 1 AS k, c._file, c._raw, c._reasons FROM " + badRows
                    + " c JOIN base ON c._file = base.f) ";
            tx.execute(owner, "INSERT INTO soma_meta.ingest_rejects WITH " + rr + bad
                    + "SELECT " + loadAndSource + ", _file, NULL, k + " + shift + ", _raw, " + reasons + " FROM bad");
        } else if (invalid > 0) {
            tx.execute(owner, "INSERT INTO soma_meta.ingest_rejects SELECT " + loadAndSource + ", coalesce(_file, " + file
                    + "), NULL, r + 1, _raw, " + reasons + " FROM " + badRows);
        }
        if (readerRejects > 0) {
            tx.execute(owner, "INSERT INTO soma_meta.ingest_rejects SELECT " + loadAndSource + ", file, line, record, raw, reasons FROM ("
                    + staged.readerRejects() + ") WHERE reasons IS NOT NULL");
        }
    }

    /** How many rows the staged reader rejects yield (0 without any). */
    static long countFromReader(Session session, SqlOwner owner, Source.Staged staged) {
        return staged.readerRejects() == null ? 0 : session.queryLong(owner, "SELECT count(*) FROM (" + staged.readerRejects()
                + ") WHERE reasons IS NOT NULL");
    }
}
