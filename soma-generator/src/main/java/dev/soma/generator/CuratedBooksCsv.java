package dev.soma.generator;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code curated_books.csv}, a publisher's hand-kept list of its books as seed 000 describes it
 * (isbn, title, author, publication_year, price, format, language), from the generated
 * {@code raw.books}, for the ingestion demo. Written the way people write such files: some ISBNs with
 * hyphens, some as ISBN-10, a title with a comma or quotes, and on purpose a few broken rows, one in
 * every {@value #BROKEN_EVERY} (a wrong check digit, a missing title, a price that is not a number, an
 * unknown format, an ISBN listed twice, a line with a column too many).
 *
 * <p>Deterministic: the same {@code raw.books} gives the same bytes.
 */
public final class CuratedBooksCsv {

    /** One row in this many is broken on purpose. */
    public static final int BROKEN_EVERY = 16;

    private CuratedBooksCsv() {
    }

    /**
     * Writes the file from {@code raw.books} of {@code warehouse}.
     *
     * @return the number of data lines written (books plus the duplicated ones)
     */
    public static long write(Warehouse warehouse, Path file) {
        if (!warehouse.relationExists("raw", "books")) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "there is no raw.books in " + warehouse.describe()
                    + " to write curated books from; run soma generate first");
        }
        List<String[]> books = warehouse.queryList(SqlOwner.seed("curated_books"),
                "SELECT isbn, title, author, publication_year, price, format, language FROM raw.books ORDER BY book_id",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)});
        long lines = 0;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("isbn,title,author,publication_year,price,format,language\n");
                for (int i = 0; i < books.size(); i++) {
                    String[] row = books.get(i).clone();
                    row[0] = isbnAsWritten(row[0], i);
                    String extra = "";
                    if (i % BROKEN_EVERY == BROKEN_EVERY - 1) {
                        switch ((i / BROKEN_EVERY) % 6) {
                            case 0 -> row[0] = wrongCheckDigit(books.get(i)[0]);
                            case 1 -> row[1] = "";
                            case 2 -> row[4] = "n/a";
                            case 3 -> row[5] = "Scroll";
                            case 4 -> row[0] = books.get(i - 1)[0];
                            default -> extra = ",unexpected";
                        }
                    }
                    out.write(csv(row) + extra + "\n");
                    lines++;
                }
            }
        } catch (IOException e) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "cannot write " + file + ": " + e.getMessage()
                    + "; choose another path", e);
        }
        return lines;
    }

    /** Every third ISBN with hyphens, every seventh 978-ISBN as its ISBN-10: all the same books. */
    static String isbnAsWritten(String isbn13, int index) {
        if (index % 7 == 3 && isbn13.startsWith("978")) {
            return isbn10(isbn13);
        }
        if (index % 3 == 1) {
            return isbn13.substring(0, 3) + "-" + isbn13.substring(3, 4) + "-" + isbn13.substring(4, 8) + "-"
                    + isbn13.substring(8, 12) + "-" + isbn13.substring(12);
        }
        return isbn13;
    }

    static String isbn10(String isbn13) {
        String body = isbn13.substring(3, 12);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (10 - i) * (body.charAt(i) - '0');
        }
        int check = (11 - sum % 11) % 11;
        return body + (check == 10 ? "X" : Integer.toString(check));
    }

    private static String wrongCheckDigit(String isbn13) {
        char last = isbn13.charAt(12);
        return isbn13.substring(0, 12) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static String csv(String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String value = row[i] == null ? "" : row[i];
            if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
                line.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                line.append(value);
            }
        }
        return line.toString();
    }
}
