package dev.soma.enrich;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.duckdb.DuckDBAppender;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The raw tables enrichment writes, one book per {@code book_key}:
 * <ul>
 *   <li>{@code raw.enriched_books}: the merged book, and for each field the source it came from
 *       ({@code <field>_source}: {@code open_library}, {@code google_books}, {@code curated}, {@code derived});</li>
 *   <li>{@code raw.enriched_book_authors}: its authors in order, with their source;</li>
 *   <li>{@code raw.enriched_book_subjects}: its subjects and categories, with their source.</li>
 * </ul>
 * {@link #write} replaces a batch of books' rows (delete by key, then the Appender) so that a rerun of a
 * job cannot duplicate its book.
 */
public final class EnrichTables {

    public static final String SCHEMA = "raw";
    public static final String BOOKS = "enriched_books";
    public static final String AUTHORS = "enriched_book_authors";
    public static final String SUBJECTS = "enriched_book_subjects";

    private static final SqlOwner OWNER = SqlOwner.loader("enrichment");
    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS raw",
            "CREATE TABLE IF NOT EXISTS raw.enriched_books (book_key VARCHAR NOT NULL, isbn13 VARCHAR, isbn10 VARCHAR,"
                    + " title VARCHAR, subtitle VARCHAR, publisher VARCHAR, published_date DATE, published_precision VARCHAR,"
                    + " page_count INTEGER, language VARCHAR, description VARCHAR, curated_title VARCHAR, curated_author VARCHAR,"
                    + " found_in VARCHAR, title_source VARCHAR, subtitle_source VARCHAR, authors_source VARCHAR,"
                    + " publisher_source VARCHAR, published_source VARCHAR, page_count_source VARCHAR, language_source VARCHAR,"
                    + " description_source VARCHAR, subjects_source VARCHAR, isbn13_source VARCHAR, isbn10_source VARCHAR,"
                    + " job_id BIGINT, enriched_at TIMESTAMP)",
            "CREATE TABLE IF NOT EXISTS raw.enriched_book_authors (book_key VARCHAR NOT NULL, position INTEGER,"
                    + " author_name VARCHAR, source VARCHAR)",
            "CREATE TABLE IF NOT EXISTS raw.enriched_book_subjects (book_key VARCHAR NOT NULL, position INTEGER,"
                    + " subject VARCHAR, source VARCHAR)");

    private EnrichTables() {
    }

    /** Creates the three tables if they are missing (empty tables are what the catalog models expect). */
    public static void create(Warehouse warehouse) {
        for (String ddl : DDL) {
            warehouse.execute(OWNER, ddl);
        }
    }

    /**
     * Creates the tables on {@code connection} (e.g. inside a job's transaction) if this connection does
     * not see all three; a concurrent first creation in another transaction shows as a write conflict,
     * which the job store retries.
     *
     * @return true when the tables were there already
     */
    public static boolean ensure(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name IN ('"
                     + BOOKS + "', '" + AUTHORS + "', '" + SUBJECTS + "')")) {
            rs.next();
            if (rs.getLong(1) == 3) {
                return true;
            }
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            return false;
        }
    }

    /**
     * Row counts of the three tables.
     *
     * @param books       rows of {@code raw.enriched_books}
     * @param foundInNone books no service knew (only the curated title and author)
     * @param foundInBoth books both services knew
     * @param authors     rows of {@code raw.enriched_book_authors}
     * @param subjects    rows of {@code raw.enriched_book_subjects}
     */
    public record Counts(long books, long foundInNone, long foundInBoth, long authors, long subjects) {
    }

    /** The tables' row counts, or empty when {@code raw.enriched_books} does not exist yet. */
    public static java.util.Optional<Counts> counts(Warehouse warehouse) {
        if (!warehouse.relationExists(SCHEMA, BOOKS)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(warehouse.query(OWNER, "SELECT (SELECT count(*) FROM raw." + BOOKS + "),"
                + " (SELECT count(*) FROM raw." + BOOKS + " WHERE found_in = ''),"
                + " (SELECT count(*) FROM raw." + BOOKS + " WHERE found_in LIKE '%,%'),"
                + " (SELECT count(*) FROM raw." + AUTHORS + "), (SELECT count(*) FROM raw." + SUBJECTS + ")", rs -> {
                    rs.next();
                    return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                }));
    }

    /** Creates the tables if missing and deletes every row of the three (a fresh start, as {@code soma demo --enrich} makes). */
    public static void clear(Warehouse warehouse) {
        create(warehouse);
        for (String table : List.of(BOOKS, AUTHORS, SUBJECTS)) {
            warehouse.execute(OWNER, "DELETE FROM " + SCHEMA + "." + table);
        }
    }

    /** One book to write: merged, the curated query it came from, and the job that enriched it. */
    public record Row(MergedBook book, BookQuery query, long jobId) {
    }

    /**
     * Replaces the rows of these books in the three tables, on {@code session}'s open transaction: one delete
     * per table for every key of the batch, then the rows through DuckDB's Appender. A key listed twice is
     * written once (the last).
     */
    public static void write(Session session, List<Row> rows, Instant at) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Row> byKey = new LinkedHashMap<>();
        for (Row row : rows) {
            byKey.remove(row.book().key());
            byKey.put(row.book().key(), row);
        }
        String keys = byKey.keySet().stream().map(Identifiers::literal).collect(Collectors.joining(", "));
        try (Statement statement = session.jdbc().createStatement()) {
            for (String table : List.of(BOOKS, AUTHORS, SUBJECTS)) {
                // literals, not parameters: DuckDB plans a prepared statement with a long IN list slowly
                statement.executeUpdate("DELETE FROM " + SCHEMA + "." + table + " WHERE book_key IN (" + keys + ")");
            }
        }
        LocalDateTime enrichedAt = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        session.append(OWNER, SCHEMA, BOOKS, appender -> {
            for (Row row : byKey.values()) {
                appendBook(appender, row, enrichedAt);
            }
            return null;
        });
        session.append(OWNER, SCHEMA, AUTHORS, appender -> {
            for (Row row : byKey.values()) {
                appendList(appender, row.book().key(), row.book().authors());
            }
            return null;
        });
        session.append(OWNER, SCHEMA, SUBJECTS, appender -> {
            for (Row row : byKey.values()) {
                appendList(appender, row.book().key(), row.book().subjects());
            }
            return null;
        });
    }

    private static void appendBook(DuckDBAppender a, Row row, LocalDateTime at) throws SQLException {
        MergedBook book = row.book();
        a.beginRow();
        text(a, book.key());
        text(a, book.isbn13());
        text(a, book.isbn10());
        text(a, book.title());
        text(a, book.subtitle());
        text(a, book.publisher());
        if (book.published() == null) {
            a.appendNull();
            a.appendNull();
        } else {
            a.append(book.published().date());
            a.append(book.published().precision().name().toLowerCase(Locale.ROOT));
        }
        if (book.pageCount() == null) {
            a.appendNull();
        } else {
            a.append(book.pageCount().intValue());
        }
        text(a, book.language());
        text(a, book.description());
        text(a, row.query().title());
        text(a, row.query().author());
        text(a, String.join(",", book.found()));
        for (BookMerge.Field f : PROVENANCE_COLUMNS) {
            text(a, book.sourceOf(f));
        }
        a.append(row.jobId());
        a.append(at);
        a.endRow();
    }

    private static void appendList(DuckDBAppender a, String key, List<MergedBook.Sourced> values) throws SQLException {
        int position = 1;
        for (MergedBook.Sourced v : values) {
            a.beginRow();
            a.append(key);
            a.append(position++);
            text(a, v.value());
            text(a, v.source());
            a.endRow();
        }
    }

    private static void text(DuckDBAppender a, String value) throws SQLException {
        if (value == null) {
            a.appendNull();
        } else {
            a.append(value);
        }
    }

    /** The {@code <field>_source} columns, in table order. */
    private static final List<BookMerge.Field> PROVENANCE_COLUMNS = List.of(BookMerge.Field.TITLE, BookMerge.Field.SUBTITLE,
            BookMerge.Field.AUTHORS, BookMerge.Field.PUBLISHER, BookMerge.Field.PUBLISHED, BookMerge.Field.PAGE_COUNT,
            BookMerge.Field.LANGUAGE, BookMerge.Field.DESCRIPTION, BookMerge.Field.SUBJECTS, BookMerge.Field.ISBN13,
            BookMerge.Field.ISBN10);
}
