package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.SourceSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The row rules as set-based SQL: one query over the staged text columns that yields each column in
 * its declared type, and {@code _reasons}, every broken rule joined by the unit separator
 * ({@code chr(31)}), NULL for a valid row: the rule half of {@link Rejects}. Nothing here loops over rows in Java.
 *
 * <p>Blank text counts as missing for every type but {@code VARCHAR}. Key columns and the cursor field are
 * implicitly required.
 */
public final class Validation {

    /** Separates the reasons inside {@code _reasons}, and the parts of a row's {@link #identity}. */
    static final String SEPARATOR = Rejects.SEPARATOR;
    private static final int SHOWN = 60;

    private Validation() {
    }

    /**
     * {@code SELECT <typed columns>, _file, _raw, _reasons FROM relation}: {@code _raw} is filled only
     * for rejected rows (the staged raw record, else the fields as a JSON object). With {@code preTyped},
     * the relation's non-text columns already have their declared types (DuckDB's CSV reader cast them);
     * otherwise every column is text and is cast here.
     */
    public static String checkedQuery(SourceSpec spec, String relation, boolean preTyped) {
        return checkedQuery(spec, relation, preTyped, List.of());
    }

    /**
     * {@link #checkedQuery} that also passes the relation's columns {@code carried} through, after {@code _reasons}
     * (e.g. a row id, to tell which staged row each checked row is).
     */
    static String checkedQuery(SourceSpec spec, String relation, boolean preTyped, List<String> carried) {
        return query(spec, relation, preTyped, carried, false);
    }

    /**
     * {@code SELECT <typed columns>, _file, _rejected FROM relation} for a relation whose non-text columns the reader
     * already cast ({@code preTyped} in {@link #checkedQuery}) and whose {@code _raw} is NULL (a file read by DuckDB's
     * reader): the same rules, but a rejected row is only flagged
     * ({@link #REJECTED_FLAG} true), and keeps every value as read, its ISBNs as the text they were. So the rows hold all
     * a rejected row's reasons and {@code _raw} depend on, and {@link #checkedQuery} over the flagged rows alone gives
     * the same reasons and {@code _raw} as over the relation: the text of reasons, which at 10M rows costs more to
     * store than to compute, is then spelled out for the rejected rows only.
     */
    static String flaggedQuery(SourceSpec spec, String relation) {
        return query(spec, relation, true, List.of(), true);
    }

    /** The column of {@link #flaggedQuery} that is true for a rejected row and false for any other. */
    static final String REJECTED_FLAG = "_rejected";

    private static String query(SourceSpec spec, String relation, boolean preTyped, List<String> carried, boolean flagged) {
        List<ColumnSpec> columns = spec.columns();
        // Level 0: whether an ISBN is 13 ASCII digits as read, the usual case, which then needs no cleaning, no check that
        // its number prints back and no ISBN-10 test: every later level takes it first and leaves the rest to the rare rows.
        StringJoiner digits = new StringJoiner(", ");
        digits.add("*");
        // Level 1: ISBNs without separators, and their digits as numbers (arithmetic beats 13 substrings). The ISBN rule
        // says in SQL what dev.soma.ingest.isbn.Isbn says in Java; IsbnTest holds both to one table of cases.
        StringJoiner clean = new StringJoiner(", ");
        clean.add("*");
        StringJoiner numbers = new StringJoiner(", ");
        numbers.add("*");
        // Level 2: every typed value once, so the rules and the output share one cast.
        StringJoiner typed = new StringJoiner(", ");
        typed.add("*");
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec column = columns.get(i);
            if (column.isbn()) {
                String c = isbnClean(i);
                // Plain replace and ltrim, not regular expressions: at 10M rows a regex costs as much as parsing the file.
                String raw = q(column.name());
                String d13 = q("__d13_" + i);
                digits.add(raw + " GLOB '" + "[0-9]".repeat(13) + "' AS " + d13);
                // The separators of Isbn.isSeparator: hyphen, space, tab, no-break space.
                clean.add("CASE WHEN " + d13 + " THEN " + raw + " WHEN contains(" + raw + ", '-') OR contains(" + raw
                        + ", ' ') OR contains(" + raw + ", chr(9)) OR contains(" + raw + ", chr(160)) THEN replace(replace(replace(replace(" + raw
                        + ", '-', ''), ' ', ''), chr(9), ''), chr(160), '') ELSE " + raw + " END AS " + c);
                // Thirteen digits: 13 bytes whose number prints back as the same text (the cast alone would also take
                // '+', blanks or an exponent). strlen is the stored length; length and ltrim walk every character,
                // which at 10M rows cost more than reading the file.
                String parsed = q("__p13_" + i);
                clean.add("CASE WHEN " + d13 + " THEN CAST(" + raw + " AS BIGINT) WHEN strlen(" + raw + ") = 13 THEN TRY_CAST("
                        + raw + " AS BIGINT) END AS " + parsed);
                // Thirteen digits without a leading zero print back as themselves.
                numbers.add("CASE WHEN " + d13 + " AND " + parsed + " >= 1000000000000 THEN " + parsed + " WHEN strlen(" + c
                        + ") = 13 AND CAST(" + parsed + " AS VARCHAR) = " + c + " THEN " + parsed
                        + " WHEN strlen(" + c + ") = 13 AND " + c + " <> " + raw + " AND ltrim(" + c + ", '0123456789') = '' THEN CAST("
                        + c + " AS BIGINT) END AS " + q("__n13_" + i));
                numbers.add("CASE WHEN " + d13 + " THEN NULL WHEN strlen(" + c + ") = 10 AND ltrim(substr(" + c
                        + ", 1, 9), '0123456789') = '' AND ltrim(substr(" + c + ", 10, 1), '0123456789Xx') = '' THEN CAST(substr(" + c
                        + ", 1, 9) AS BIGINT) END AS " + q("__n10_" + i));
                typed.add(isbn13(c, q("__n13_" + i), q("__n10_" + i)) + " AS " + t(i));
            } else if (!isText(column)) {
                typed.add((preTyped ? q(column.name()) : "TRY_CAST(" + blankAsNull(column) + " AS " + column.type() + ")")
                        + " AS " + t(i));
            }
        }
        StringJoiner middle = new StringJoiner(", ");
        StringJoiner original = new StringJoiner(", ");
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec column = columns.get(i);
            middle.add(typedRef(column, i) + " AS " + q(column.name()));
            original.add(q(column.name()) + " := " + q("__o" + i));
            middle.add(q(column.name()) + " AS " + q("__o" + i));
            rules.addAll(reasons(spec, column, i, preTyped && !isText(column) && !column.isbn()));
        }
        middle.add("_file").add("_raw").add(BAD);
        carried.forEach(middle::add);
        // One CASE chain decides whether a row broke any rule (the conditions alone, no text); the reasons are spelled
        // out only for the rows that did. A CASE, not an OR: DuckDB evaluates every operand of an OR (and an AND) over
        // all rows when computing a value, but a CASE tests each WHEN only on the rows no earlier WHEN took, and inside
        // a WHEN stops at the first operand that decides. A valid row thus gets NULL without a CASE per rule joined by
        // concat_ws, and a test such as trim runs only where a cheaper one before it could not decide.
        StringBuilder broken = new StringBuilder("CASE");
        StringJoiner spelled = new StringJoiner(", ");
        for (Rule rule : rules) {
            broken.append(" WHEN ").append(rule.broken()).append(" THEN true");
            spelled.add("CASE WHEN " + rule.broken() + " THEN " + rule.reason() + " END");
        }
        broken.append(" ELSE false END");
        // NULL, not '', for a valid row: most rows are valid, and a column that is only NULL costs next to nothing to write
        // and to read back (its validity mask alone).
        middle.add(rules.isEmpty() ? "NULL::VARCHAR AS _reasons"
                : "CASE WHEN " + BAD + " THEN nullif(concat_ws(" + SEPARATOR + ", " + spelled + "), '') END AS _reasons");
        StringJoiner outer = new StringJoiner(", ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec column = columns.get(i);
            // A flagged row keeps its ISBN as read: the typed value of a rejected row may be NULL.
            outer.add(flagged && column.isbn() ? "CASE WHEN " + BAD + " THEN " + q("__o" + i) + " ELSE " + q(column.name())
                    + " END AS " + q(column.name()) : q(column.name()));
        }
        outer.add("_file");
        String rows = "SELECT *, " + (rules.isEmpty() ? "false" : broken.toString()) + " AS " + BAD + " FROM (SELECT " + typed
                + " FROM (SELECT " + numbers + " FROM (SELECT " + clean + " FROM (SELECT " + digits + " FROM " + relation + "))))";
        if (flagged) {
            // _reasons and _raw are not selected, so DuckDB never computes them.
            return "SELECT " + outer + ", " + BAD + " AS " + REJECTED_FLAG + " FROM (SELECT " + middle + " FROM (" + rows + "))";
        }
        outer.add("CASE WHEN " + BAD + " THEN coalesce(_raw, to_json(struct_pack(" + original + "))::VARCHAR) END AS _raw");
        outer.add("_reasons");
        carried.forEach(outer::add);
        if (keepsCursorText(spec)) {
            int index = columns.indexOf(spec.column(spec.cursor().field()).orElseThrow());
            outer.add("CAST(" + q("__o" + index) + " AS VARCHAR) AS " + CURSOR_TEXT);
        }
        return "SELECT " + outer + " FROM (SELECT " + middle + " FROM (" + rows + "))";
    }

    /** Whether the row broke a rule (true) or not (false or NULL): {@code _reasons} is not empty exactly then. */
    private static final String BAD = "__bad";

    /**
     * One rule of a column: the condition under which a row breaks it ({@code broken}, true, or false or NULL) and the
     * reason then, as SQL.
     */
    private record Rule(String broken, String reason) {
    }

    /** The checked rows' column holding the cursor field as the source wrote it, see {@link #keepsCursorText}. */
    static final String CURSOR_TEXT = "_cursor_text";

    /**
     * Whether the checked rows keep the cursor field's text as read ({@link #CURSOR_TEXT}): for sources that are sent
     * their cursor (an API's {@code cursor.param}), which get it back in their own format.
     */
    static boolean keepsCursorText(SourceSpec spec) {
        return spec.cursor() != null && spec.cursor().param() != null && spec.kind() instanceof HttpSpec;
    }

    private static String t(int index) {
        return q("__t" + index);
    }

    /** The column's value in its declared type (the ISBN-13 for an isbn column), null when it does not convert. */
    static String typedRef(ColumnSpec column, int index) {
        return column.isbn() || !isText(column) ? t(index) : q(column.name());
    }

    static boolean isText(ColumnSpec column) {
        String type = column.type().toUpperCase(Locale.ROOT);
        return type.equals("VARCHAR") || type.equals("TEXT") || type.equals("STRING");
    }

    private static String blankAsNull(ColumnSpec column) {
        return "nullif(trim(" + q(column.name()) + "), '')";
    }

    /**
     * The rules of one column as CASE expressions yielding the reason or NULL. {@code typedByReader}: the
     * reader already cast the column (a value that does not convert never gets here; the reader
     * rejected its line), so the rules work on its text form.
     */
    private static List<Rule> reasons(SourceSpec spec, ColumnSpec column, int index, boolean typedByReader) {
        String c = typedByReader ? "CAST(" + q(column.name()) + " AS VARCHAR)" : q(column.name());
        String name = column.name();
        String shown = "left(" + c + ", " + SHOWN + ")";
        List<Rule> reasons = new ArrayList<>();
        boolean keyRequired = spec.key().contains(name) && spec.keyFallback().isEmpty();
        boolean required = column.required() || keyRequired
                || (spec.cursor() != null && spec.cursor().field().equals(name));
        if (required) {
            String why = column.required() ? "required" : keyRequired ? "part of the key" : "the cursor";
            // A value the reader cast to a number, date or time is never blank text: NULL is all that is missing.
            String missing = typedByReader && neverBlank(column) ? q(column.name()) + " IS NULL"
                    : c + " IS NULL OR (" + mayBeBlank(c) + " AND trim(" + c + ") = '')";
            reasons.add(new Rule(missing, Identifiers.literal(name + ": missing, but it is " + why)));
        } else if (spec.keyFallback().contains(name)) {
            StringJoiner keyEmpty = new StringJoiner(" OR ");
            for (String k : spec.key()) {
                keyEmpty.add("nullif(trim(CAST(" + q(k) + " AS VARCHAR)), '') IS NULL");
            }
            reasons.add(new Rule("(" + keyEmpty + ") AND (" + c + " IS NULL OR trim(" + c + ") = '')",
                    Identifiers.literal(name + ": missing, but it identifies a row without " + String.join(", ", spec.key()))));
        }
        String present = (isText(column) ? c + " IS NOT NULL" : blankAsNull(column) + " IS NOT NULL");
        if (column.isbn()) {
            // The rarely true test first: the rest is evaluated only for the rows it lets through.
            reasons.add(new Rule(t(index) + " IS NULL AND " + c + " IS NOT NULL AND trim(" + c + ") <> ''",
                    Identifiers.literal(name + ": '") + " || " + shown + " || "
                            + Identifiers.literal("' is not an ISBN-10 or ISBN-13 with a valid check digit")));
        } else if (!isText(column) && !typedByReader) {
            reasons.add(new Rule(present + " AND " + t(index) + " IS NULL",
                    Identifiers.literal(name + ": '") + " || " + shown + " || " + Identifiers.literal("' is not a " + column.type())));
        }
        if (column.pattern() != null) {
            reasons.add(new Rule(c + " IS NOT NULL AND NOT regexp_full_match(" + c + ", " + Identifiers.literal(column.pattern()) + ")",
                    Identifiers.literal(name + ": '") + " || " + shown + " || "
                            + Identifiers.literal("' does not match pattern " + column.pattern())));
        }
        String value = isText(column) ? "TRY_CAST(" + c + " AS DOUBLE)" : t(index);
        String bound = isText(column) ? "DOUBLE" : column.type();
        if (column.min() != null) {
            reasons.add(range(name, value, "<", column.min(), bound, shown, "less than the minimum"));
        }
        if (column.max() != null) {
            reasons.add(range(name, value, ">", column.max(), bound, shown, "more than the maximum"));
        }
        if (!column.acceptedValues().isEmpty()) {
            StringJoiner values = new StringJoiner(", ");
            column.acceptedValues().forEach(v -> values.add(Identifiers.literal(v)));
            reasons.add(new Rule(c + " IS NOT NULL AND " + c + " NOT IN (" + values + ")",
                    Identifiers.literal(name + ": '") + " || " + shown + " || "
                            + Identifiers.literal("' is not one of " + String.join(", ", column.acceptedValues()))));
        }
        return reasons;
    }

    /**
     * False when the text {@code c} surely holds more than blanks: its first byte is a printable ASCII character other
     * than space and the punctuation before {@code 0} ({@code '0'} to {@code '~'}), which no blank character starts
     * with. A cheap comparison that spares most values a {@code trim}, which copies the text.
     */
    private static String mayBeBlank(String c) {
        return "NOT (" + c + " >= '0' AND " + c + " < chr(127))";
    }

    /** Types whose values never have blank text: numbers, dates and times, booleans, UUIDs (not lists of them). */
    private static boolean neverBlank(ColumnSpec column) {
        String type = column.type().toUpperCase(Locale.ROOT).strip();
        return !type.contains("[") && NEVER_BLANK.matcher(type).matches();
    }

    private static final Pattern NEVER_BLANK = Pattern.compile(
            "(U?(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT)|INT[1248]|FLOAT[48]?|REAL|DOUBLE|(DECIMAL|NUMERIC)(\\(.*\\))?"
                    + "|DATE|TIME|TIMESTAMP|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|TIME WITH TIME ZONE|BOOLEAN|BOOL|UUID)");

    private static Rule range(String name, String value, String op, BigDecimal limit, String type, String shown,
                              String what) {
        return new Rule(value + " " + op + " TRY_CAST(" + Identifiers.literal(limit.toPlainString()) + " AS " + type + ")",
                Identifiers.literal(name + ": ") + " || " + shown + " || "
                        + Identifiers.literal(" is " + what + " " + limit.toPlainString()));
    }

    private static String isbnClean(int index) {
        return q("__isbn" + index);
    }

    /**
     * ISBN-13 of the cleaned text {@code s} (separators removed), or NULL: a 13-digit ISBN (prefix 978 or 979) with a
     * valid check digit as is; an ISBN-10 with a valid check digit as 978 + its first nine digits + the new
     * check digit. {@code n13} is the 13-digit number (null unless {@code s} is 13 digits), {@code n10} the
     * first nine digits of a 10-character ISBN; digits are taken with integer arithmetic.
     */
    static String isbn13(String s, String n13, String n10) {
        // The weighted digit sum modulo 10 without taking each digit: with q(p) = n // 10^p, digit p is q(p) - 10 q(p+1),
        // so sum of w(p) * digit(p) and sum of w(p) * q(p) differ by a multiple of 10 (12 divisions instead of 13
        // divisions and 13 remainders). Weights from the right: 1 at even powers, 3 at odd ones.
        StringBuilder even = new StringBuilder("(" + n13);
        StringBuilder odd = new StringBuilder("(");
        for (int p = 1; p <= 12; p++) {
            String q = n13 + " // " + (long) Math.pow(10, p);
            if (p % 2 == 0) {
                even.append(" + ").append(q);
            } else {
                odd.append(p > 1 ? " + " : "").append(q);
            }
        }
        String sum13 = even + " + 3 * " + odd + "))";
        StringBuilder sum10 = new StringBuilder("(");
        for (int i = 1; i <= 9; i++) {
            sum10.append(i > 1 ? " + " : "").append(digit(n10, 9 - i)).append(" * ").append(11 - i);
        }
        sum10.append(" + CASE WHEN substr(").append(s).append(", 10, 1) IN ('X', 'x') THEN 10 ELSE CAST(substr(").append(s)
                .append(", 10, 1) AS INTEGER) END)");
        // 978 contributes 9*1 + 7*3 + 8*1 = 38; the nine digits then sit at positions 4..12.
        StringBuilder sumPrefix = new StringBuilder("(38");
        for (int j = 1; j <= 9; j++) {
            sumPrefix.append(" + ").append(digit(n10, 9 - j)).append((j + 3) % 2 == 1 ? "" : " * 3");
        }
        sumPrefix.append(")");
        return "(CASE WHEN " + n13 + " IS NOT NULL AND " + n13 + " // 10000000000 IN (978, 979) AND " + sum13 + " % 10 = 0 THEN " + s
                + " WHEN " + n10 + " IS NOT NULL AND " + sum10 + " % 11 = 0 THEN '978' || substr(" + s + ", 1, 9) || "
                + "CAST((10 - " + sumPrefix + " % 10) % 10 AS VARCHAR) END)";
    }

    /** The digit of {@code n} at {@code power} (0 = units). */
    private static String digit(String n, int power) {
        return "(" + n + " // " + (long) Math.pow(10, power) + " % 10)";
    }

    /**
     * What identifies a row of a source with a {@code key_fallback}: its key columns when all are present, else its
     * fallback columns' normalised text (see {@link SourceSpec#keyFallback()}); {@code prefix} qualifies the
     * columns (e.g. {@code "r."}).
     */
    public static String identity(SourceSpec spec, String prefix) {
        StringJoiner present = new StringJoiner(" AND ");
        StringJoiner key = new StringJoiner(", ");
        for (String k : spec.key()) {
            String v = "nullif(trim(CAST(" + prefix + q(k) + " AS VARCHAR)), '')";
            present.add(v + " IS NOT NULL");
            key.add(v);
        }
        StringJoiner fallback = new StringJoiner(", ");
        for (String f : spec.keyFallback()) {
            fallback.add("trim(regexp_replace(lower(strip_accents(coalesce(CAST(" + prefix + q(f)
                    + " AS VARCHAR), ''))), '[^\\p{L}\\p{N}]+', ' ', 'g'))");
        }
        return "(CASE WHEN " + present + " THEN 'key' || " + SEPARATOR + " || concat_ws(" + SEPARATOR + ", " + key
                + ") ELSE 'fallback' || " + SEPARATOR + " || concat_ws(" + SEPARATOR + ", " + fallback + ") END)";
    }

    static String q(String identifier) {
        return Identifiers.quote(identifier);
    }
}
