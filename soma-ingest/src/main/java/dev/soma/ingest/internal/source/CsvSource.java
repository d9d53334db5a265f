package dev.soma.ingest.internal.source;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.internal.load.FilesRead;
import dev.soma.ingest.internal.load.LoadStore;
import dev.soma.ingest.internal.load.LoadedFile;
import dev.soma.ingest.internal.load.Rejects;
import dev.soma.ingest.internal.load.Validation;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A CSV file or glob, read by DuckDB's own {@code read_csv} with every column as text, the dialect
 * given (no sniffing), and {@code store_rejects} catching lines the reader itself cannot split
 * (wrong column count, bad encoding, unterminated quote) with their line numbers; {@link Rejects} turns those
 * into rejected rows with reasons. Only the declared spellings of NULL ({@code csv.null_values}, default an unquoted
 * empty field) are NULL; a quoted field never is, so {@code ""} is an empty string. In a typed column blank text is
 * missing: a line the reader rejected only for a quoted empty field there is taken in by the recheck.
 *
 * <p>Each file read is remembered ({@link LoadedFile}, in the load's transaction); a later load in append or merge
 * mode skips a file whose path, size and content hash are unchanged, so a glob over a growing folder reads only
 * the new and changed files.
 *
 * <p>With a header, the file's own column order is used and the declared columns are picked by
 * name (case-insensitive), so a file may carry extra columns; a declared column missing from the
 * header is an error naming the file.
 */
public final class CsvSource implements Source {

    @Override
    public String kind() {
        return "csv";
    }

    @Override
    public Staged stage(Context context) {
        SourceSpec spec = context.spec();
        CsvSpec csv = (CsvSpec) spec.kind();
        Path base = context.projectDir() == null ? Path.of("") : context.projectDir();
        Path pattern = base.resolve(csv.path());
        List<String> files = context.session().queryList(SqlOwner.loader(spec.name()),
                "SELECT file FROM glob(" + Identifiers.literal(pattern.toString()) + ") ORDER BY file", rs -> rs.getString(1));
        if (files.isEmpty()) {
            throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                    "csv path " + csv.path() + " matches no file (looked for " + pattern.toAbsolutePath().normalize()
                            + "); put the file there or fix csv.path");
        }
        // A file loaded before (same path, size and content) is skipped: its rows are in, its rejects recorded. A
        // replace reads every file, since the table becomes exactly what they hold.
        Map<String, LoadedFile> before = spec.mode() == WriteMode.REPLACE ? Map.of()
                : new LoadStore(context.session()).files(spec.name());
        List<String> seen = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        int skipped = 0;
        for (String file : files) {
            Path path = Path.of(file);
            String key = path.toAbsolutePath().normalize().toString();
            LoadedFile loaded = before.get(key);
            if (loaded != null && loaded.unchanged(size(path), path)) {
                skipped++;
                continue;
            }
            seen.add(key);
            toRead.add(file);
        }
        List<String> nonEmpty = new ArrayList<>();
        List<String> header = null;
        for (String file : toRead) {
            if (size(Path.of(file)) == 0) {
                continue;   // an empty file has no header and no rows: nothing to read
            }
            nonEmpty.add(file);
            if (csv.header()) {
                List<String> names = header(Path.of(file), csv);
                if (header == null) {
                    header = names;
                } else if (!header.equals(names)) {
                    throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                            "file " + file + " has columns " + names + " but " + nonEmpty.get(0) + " has " + header
                                    + "; every file of a glob must have the same header");
                }
            }
        }
        if (nonEmpty.isEmpty()) {
            return new Staged(emptyRelation(spec), null, true, null, false, null, FilesRead.hashing(seen), skipped);
        }
        List<String> fileColumns = header == null ? spec.columns().stream().map(ColumnSpec::name).toList() : header;
        List<String> picked = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            String match = fileColumns.stream().filter(h -> h.equalsIgnoreCase(column.name())).findFirst().orElse(null);
            if (match == null) {
                throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                        "column '" + column.name() + "' is declared but " + nonEmpty.get(0) + " has no such column (its header: "
                                + String.join(", ", fileColumns) + "); rename the column or fix the header");
            }
            picked.add(Identifiers.quote(match) + " AS " + Identifiers.quote(column.name()));
        }
        // The reader casts the typed columns itself (the fast path, as fast as a bare read_csv) and puts a
        // value that does not convert in its rejects, with the line; text and ISBN columns are read as text.
        StringJoiner columns = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < fileColumns.size(); i++) {
            String name = fileColumns.get(i);
            String type = spec.columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                    .filter(c -> !c.isbn() && !isText(c)).map(ColumnSpec::type).orElse("VARCHAR");
            columns.add(Identifiers.literal(name.isEmpty() ? "column" + i : name) + ": " + Identifiers.literal(type));
        }
        String rejectsTable = "soma_rejects_" + context.tag();
        String rejectsScan = "soma_scans_" + context.tag();
        StringJoiner list = new StringJoiner(", ", "[", "]");
        nonEmpty.forEach(f -> list.add(Identifiers.literal(f)));
        String read = "read_csv(" + list + ", auto_detect = false, header = " + csv.header()
                + ", delim = " + Identifiers.literal(csv.delimiter()) + ", quote = " + Identifiers.literal(csv.quote())
                + ", escape = " + Identifiers.literal(csv.escape()) + ", encoding = " + Identifiers.literal(csv.encoding())
                + nulls(csv) + ", columns = " + columns + ", store_rejects = true, rejects_table = " + Identifiers.literal(rejectsTable)
                + ", rejects_scan = " + Identifiers.literal(rejectsScan) + (nonEmpty.size() == 1 ? "" : ", filename = true") + ")";
        // One file: _file stays NULL in the staged rows (a repeated path costs real memory at 10M rows).
        String file = nonEmpty.size() == 1 ? "NULL::VARCHAR" : "filename";
        String relation = "(SELECT " + String.join(", ", picked) + ", " + file + " AS _file, NULL::VARCHAR AS _raw FROM " + read + ")";
        String rejects = Rejects.fromReader(spec, csv.header(), rejectsTable, rejectsScan);
        List<String> headerNames = fileColumns;
        boolean severalFiles = nonEmpty.size() > 1;
        // Hashed while DuckDB reads them: nothing needs the hashes before the load's transaction.
        FilesRead filesRead = FilesRead.hashing(seen);
        return new Staged(relation, rejects, true, severalFiles ? null : nonEmpty.get(0), true,
                (session, checked) -> recheck(context, csv, headerNames, picked, rejects, rejectsTable, rejectsScan, checked,
                        severalFiles), filesRead, skipped);
    }

    /** Lines past which a recheck is skipped: a file that bad gets the reader's reasons only. */
    private static final int RECHECK_LIMIT = 100_000;

    /**
     * The reader rejects a line at the first value that does not convert and never applies the other
     * rules to it. The lines it rejected for conversions only (a handful, normally) are read again, all
     * as text, through the same rules as an HTTP record, so each reject lists every reason; the query
     * returned yields the reader's rejects with those reasons in place of the reader's own.
     */
    private static String recheck(Context context, CsvSpec csv, List<String> fileColumns, List<String> picked,
                                  String rejects, String rejectsTable, String rejectsScan, String checked,
                                  boolean severalFiles) {
        SourceSpec spec = context.spec();
        SqlOwner owner = SqlOwner.loader(spec.name());
        String castLines = Rejects.castOnlyLines(rejectsTable, rejectsScan);
        List<String> lines = context.session().queryList(owner, castLines + " ORDER BY file, line LIMIT " + (RECHECK_LIMIT + 1),
                rs -> rs.getString(3));
        if (lines.isEmpty() || lines.size() > RECHECK_LIMIT) {
            return rejects;
        }
        Path file;
        try {
            file = Files.createTempFile("soma-recheck-", ".csv");
            file.toFile().deleteOnExit();
            StringJoiner header = new StringJoiner(csv.delimiter());
            fileColumns.forEach(name -> header.add(csv.quote() + name.replace(csv.quote(), csv.quote() + csv.quote()) + csv.quote()));
            StringBuilder text = new StringBuilder(header + "\n");
            lines.forEach(line -> text.append(line).append('\n'));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return rejects;
        }
        StringJoiner columns = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < fileColumns.size(); i++) {
            String name = fileColumns.get(i);
            columns.add(Identifiers.literal(name.isEmpty() ? "column" + i : name) + ": 'VARCHAR'");
        }
        String table = Identifiers.quote("soma_recheck_" + context.tag());
        String read = "read_csv(" + Identifiers.literal(file.toString()) + ", auto_detect = false, header = true, delim = "
                + Identifiers.literal(csv.delimiter()) + ", quote = " + Identifiers.literal(csv.quote()) + ", escape = "
                + Identifiers.literal(csv.escape()) + nulls(csv) + ", columns = " + columns + ")";
        try {
            context.session().execute(owner, "CREATE TEMP TABLE " + table + " AS "
                    + Validation.checkedQuery(spec, "(SELECT " + String.join(", ", picked)
                    + ", NULL::VARCHAR AS _file, NULL::VARCHAR AS _raw FROM " + read + ")", false));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // deleted on exit
            }
        }
        if (context.session().queryLong(owner, "SELECT count(*) FROM " + table) != lines.size()) {
            return rejects;   // a line did not read back as one record: keep the reader's reasons
        }
        // A line whose only "bad value" was a quoted empty field in a typed column breaks no rule: it is a row.
        context.session().execute(owner, Rejects.castOnlyRescued(checked, castLines, table,
                spec.columns().stream().map(ColumnSpec::name).toList(), severalFiles));
        return Rejects.withRecheckedReasons(rejects, castLines, table);
    }

    /**
     * The reader's NULL options: the declared spellings of NULL match unquoted fields only, so a quoted empty field
     * ({@code ""}) is an empty string, not NULL (DuckDB's default would make it NULL).
     */
    static String nulls(CsvSpec csv) {
        StringJoiner spellings = new StringJoiner(", ", "[", "]");
        csv.nullValues().forEach(v -> spellings.add(Identifiers.literal(v)));
        return ", allow_quoted_nulls = false, nullstr = " + spellings;
    }

    private static boolean isText(ColumnSpec column) {
        String type = column.type().toUpperCase(java.util.Locale.ROOT);
        return type.equals("VARCHAR") || type.equals("TEXT") || type.equals("STRING");
    }

    static String emptyRelation(SourceSpec spec) {
        StringJoiner select = new StringJoiner(", ");
        for (ColumnSpec column : spec.columns()) {
            select.add("NULL::VARCHAR AS " + Identifiers.quote(column.name()));
        }
        return "(SELECT " + select + ", NULL::VARCHAR AS _file, NULL::VARCHAR AS _raw WHERE false)";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The header line's names: decoded, BOM dropped, split on the delimiter outside quotes. */
    static List<String> header(Path file, CsvSpec csv) {
        Charset charset = switch (csv.encoding()) {
            case "utf-16" -> StandardCharsets.UTF_16;
            case "latin-1" -> StandardCharsets.ISO_8859_1;
            default -> StandardCharsets.UTF_8;
        };
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String text = new String(head, charset);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        char quote = csv.quote().charAt(0);
        String delimiter = csv.delimiter();
        List<String> names = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == quote && i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    field.append(c);
                    i++;
                } else if (c == quote) {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == quote) {
                quoted = true;
            } else if (text.startsWith(delimiter, i)) {
                names.add(field.toString().strip());
                field.setLength(0);
                i += delimiter.length() - 1;
            } else if (c == '\n' || c == '\r') {
                break;
            } else {
                field.append(c);
            }
        }
        names.add(field.toString().strip());
        return names;
    }
}
