package dev.soma.ingest.enrich;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * The raw tables enrichment writes, one book per {@code book_key}:
 * <ul>
 *   <li>{@code raw.enriched_books}: the merged book, and for each field the source it came from
 *       ({@code <field>_source}: {@code open_library}, {@code google_books}, {@code curated}, {@code derived});</li>
 *   <li>{@code raw.enriched_book_authors}: its authors in order, with their source;</li>
 *   <li>{@code raw.enriched_book_subjects}: its subjects and categories, with their source.</li>
 * </ul>
 * {@link #write} replaces a book's rows (delete + insert by key) so that a rerun of its job cannot
 * duplicate it.
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

    /** Replaces the book's rows in the three tables, on {@code connection}'s open transaction. */
    public static void write(Connection connection, MergedBook book, BookQuery query, long jobId, Instant at) throws SQLException {
        for (String table : List.of(BOOKS, AUTHORS, SUBJECTS)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM raw." + table + " WHERE book_key = ?")) {
                delete.setString(1, book.key());
                delete.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO raw.enriched_books VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            insert.setString(i++, book.key());
            insert.setString(i++, book.isbn13());
            insert.setString(i++, book.isbn10());
            insert.setString(i++, book.title());
            insert.setString(i++, book.subtitle());
            insert.setString(i++, book.publisher());
            if (book.published() == null) {
                insert.setNull(i++, Types.DATE);
                insert.setNull(i++, Types.VARCHAR);
            } else {
                insert.setDate(i++, Date.valueOf(book.published().date()));
                insert.setString(i++, book.published().precision().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (book.pageCount() == null) {
                insert.setNull(i++, Types.INTEGER);
            } else {
                insert.setInt(i++, book.pageCount());
            }
            insert.setString(i++, book.language());
            insert.setString(i++, book.description());
            insert.setString(i++, query.title());
            insert.setString(i++, query.author());
            insert.setString(i++, String.join(",", book.found()));
            for (BookMerge.Field f : List.of(BookMerge.Field.TITLE, BookMerge.Field.SUBTITLE, BookMerge.Field.AUTHORS,
                    BookMerge.Field.PUBLISHER, BookMerge.Field.PUBLISHED, BookMerge.Field.PAGE_COUNT, BookMerge.Field.LANGUAGE,
                    BookMerge.Field.DESCRIPTION, BookMerge.Field.SUBJECTS, BookMerge.Field.ISBN13, BookMerge.Field.ISBN10)) {
                insert.setString(i++, book.sourceOf(f));
            }
            insert.setLong(i++, jobId);
            insert.setTimestamp(i, Timestamp.from(at));
            insert.executeUpdate();
        }
        insertList(connection, "raw.enriched_book_authors", book.key(), book.authors());
        insertList(connection, "raw.enriched_book_subjects", book.key(), book.subjects());
    }

    private static void insertList(Connection connection, String table, String key, List<MergedBook.Sourced> values) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            int position = 1;
            for (MergedBook.Sourced v : values) {
                insert.setString(1, key);
                insert.setInt(2, position++);
                insert.setString(3, v.value());
                insert.setString(4, v.source());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
