package dev.soma.ingest.isbn;

/**
 * ISBN-10 and ISBN-13: parsing, check digits, and conversion to the ISBN-13 that Soma stores. The one parser of the
 * project: ingestion's {@code isbn: true} column rule (whose SQL form in {@code Validation} accepts exactly the same
 * texts) and book enrichment both use it.
 *
 * <ul>
 *   <li>Separators: hyphen, space, tab and no-break space (U+00A0) may stand anywhere and are ignored.</li>
 *   <li>ISBN-10: nine digits and a check digit (0–9 or {@code X}/{@code x}), weighted 10..1, sum divisible by 11.</li>
 *   <li>ISBN-13: thirteen digits starting with the book prefixes {@code 978} or {@code 979}, with a valid EAN-13 check
 *       digit; any other EAN-13 (a product barcode, {@code 0000000000000}) is not an ISBN.</li>
 * </ul>
 * Pure functions; thread-safe.
 */
public final class Isbn {

    private Isbn() {
    }

    /** Whether {@code c} separates the groups of an ISBN: hyphen, space, tab or no-break space. */
    public static boolean isSeparator(char c) {
        return c == '-' || c == ' ' || c == '\t' || c == '\u00A0';
    }

    /**
     * The digits (and a final {@code X}) of an ISBN-like text with its separators removed, or null when it holds any
     * other character. Says nothing about the length or the check digit.
     */
    static String compact(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder d = new StringBuilder(13);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            } else if ((c == 'X' || c == 'x') && d.length() == 9) {
                d.append('X');
            } else if (!isSeparator(c)) {
                return null;
            }
        }
        return d.toString();
    }

    /** True for exactly 13 digits, no separators, starting with 978 or 979, with a valid check digit. */
    public static boolean isIsbn13(String digits) {
        if (digits == null || digits.length() != 13 || !(digits.startsWith("978") || digits.startsWith("979"))) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 13; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            sum += (c - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return sum % 10 == 0;
    }

    /** True for exactly nine digits and a check digit (digit or upper-case {@code X}), no separators, valid. */
    public static boolean isIsbn10(String digits) {
        if (digits == null || digits.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = digits.charAt(i);
            int v = c == 'X' && i == 9 ? 10 : c - '0';
            if (v < 0 || v > 10 || (v == 10 && i != 9)) {
                return false;
            }
            sum += v * (10 - i);
        }
        return sum % 11 == 0;
    }

    /**
     * The ISBN-13 of an ISBN-10 or ISBN-13 written with or without separators: {@code "0-14-032872-6"} →
     * {@code "9780140328721"}. Null when the text is not a valid ISBN of either length (or is null).
     */
    public static String isbn13(String text) {
        String d = compact(text);
        if (d == null) {
            return null;
        }
        if (d.length() == 13) {
            return isIsbn13(d) ? d : null;
        }
        return isIsbn10(d) ? fromIsbn10(d) : null;
    }

    /** The ISBN-10 of a 978 ISBN-13 given as 13 digits, or null (979 ISBNs have none; invalid input has none). */
    public static String isbn10(String isbn13) {
        if (!isIsbn13(isbn13) || !isbn13.startsWith("978")) {
            return null;
        }
        String body = isbn13.substring(3, 12);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (body.charAt(i) - '0') * (10 - i);
        }
        int check = (11 - sum % 11) % 11;
        return body + (check == 10 ? "X" : String.valueOf(check));
    }

    /** 978 + the first nine digits of a valid ISBN-10 + the new check digit. */
    private static String fromIsbn10(String isbn10) {
        String body = "978" + isbn10.substring(0, 9);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return body + ((10 - sum % 10) % 10);
    }
}
