package dev.soma.spark.engine;

import dev.soma.core.engine.AuditBranches;
import dev.soma.core.engine.Dialect;

import java.util.List;
import java.util.Locale;

/**
 * How Spark SQL spells names and the cross-engine macros. Identifiers are quoted with backticks
 * (a backtick inside doubled); relations have three parts, {@code `catalog`.`schema`.`name`}, so a
 * model's SQL reads the catalog Soma writes to whatever the session's current catalog is.
 *
 * <p>String literals escape with a backslash, as Spark's parser reads them by default.
 */
public final class SparkDialect implements Dialect {

    private final String catalog;

    public SparkDialect(String catalog) {
        this.catalog = catalog;
    }

    /** The catalog relations are rendered in. */
    public String catalog() {
        return catalog;
    }

    @Override
    public String quote(String identifier) {
        return '`' + Dialect.checkIdentifier(identifier).replace("`", "``") + '`';
    }

    /**
     * {@code `catalog`.`schema`.`name`}; the audit copy of a table ({@code name__audit}, see
     * {@link AuditBranches}) is that table's audit branch, {@code `catalog`.`schema`.`name`.`branch_soma_audit`}.
     */
    @Override
    public String relation(String schema, String name) {
        if (AuditBranches.isAuditName(name)) {
            return quote(catalog) + "." + quote(schema) + "." + quote(AuditBranches.liveName(name)) + "."
                    + quote("branch_" + AuditBranches.BRANCH);
        }
        return quote(catalog) + "." + quote(schema) + "." + quote(name);
    }

    /** A namespace of the catalog: {@code `catalog`.`schema`}. */
    public String namespace(String schema) {
        return quote(catalog) + "." + quote(schema);
    }

    @Override
    public String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    /**
     * Counts the {@code datepart} boundaries crossed from {@code first} to {@code second}, as DuckDB's
     * {@code date_diff} does (Spark's {@code timestampdiff} counts whole elapsed units instead:
     * 31 Jan to 1 Feb is one month on DuckDB and none there).
     */
    @Override
    public String datediff(String first, String second, String datepart) {
        String a = "(" + first + ")";
        String b = "(" + second + ")";
        return switch (datepart.toLowerCase(Locale.ROOT).replace("'", "").strip()) {
            case "day", "days", "d" -> "datediff(CAST(" + b + " AS DATE), CAST(" + a + " AS DATE))";
            case "week", "weeks", "w" -> "(datediff(CAST(date_trunc('WEEK', " + b + ") AS DATE), CAST(date_trunc('WEEK', "
                    + a + ") AS DATE)) DIV 7)";
            case "month", "months", "mon" -> "((year(" + b + ") * 12 + month(" + b + ")) - (year(" + a + ") * 12 + month(" + a + ")))";
            case "quarter", "quarters" -> "((year(" + b + ") * 4 + quarter(" + b + ")) - (year(" + a + ") * 4 + quarter(" + a + ")))";
            case "year", "years", "y" -> "(year(" + b + ") - year(" + a + "))";
            case "hour", "hours", "h" -> truncatedSeconds("HOUR", a, b, 3600);
            case "minute", "minutes", "m" -> truncatedSeconds("MINUTE", a, b, 60);
            case "second", "seconds", "s" -> truncatedSeconds("SECOND", a, b, 1);
            default -> "timestampdiff(" + datepart.replace("'", "").toUpperCase(Locale.ROOT) + ", " + a + ", " + b + ")";
        };
    }

    private static String truncatedSeconds(String unit, String a, String b, int seconds) {
        return "((unix_seconds(date_trunc('" + unit + "', CAST(" + b + " AS TIMESTAMP))) - unix_seconds(date_trunc('" + unit
                + "', CAST(" + a + " AS TIMESTAMP)))) DIV " + seconds + ")";
    }

    @Override
    public String regexpFullMatch(String value, String pattern) {
        return "(" + value + " RLIKE concat('^(?:', " + pattern + ", ')$'))";
    }

    @Override
    public String typeString() {
        return "STRING";
    }

    /**
     * Spark's names of Soma's normal types: {@code VARCHAR} is {@code STRING}, {@code INTEGER} {@code INT},
     * {@code HUGEINT} a {@code DECIMAL(38,0)} (Spark has no 128-bit integer), a naive {@code TIMESTAMP}
     * {@code TIMESTAMP_NTZ} and one with a time zone {@code TIMESTAMP}, {@code BLOB} {@code BINARY},
     * {@code T[]} {@code ARRAY<T>}; {@code UUID} and {@code JSON} are strings. Others are kept.
     */
    @Override
    public String typeName(String normalType) {
        String type = normalType.strip().toUpperCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return "ARRAY<" + typeName(type.substring(0, type.length() - 2)) + ">";
        }
        return switch (type) {
            case "VARCHAR", "UUID", "JSON" -> "STRING";
            case "INTEGER" -> "INT";
            case "HUGEINT", "UBIGINT" -> "DECIMAL(38,0)";
            case "UINTEGER" -> "BIGINT";
            case "USMALLINT" -> "INT";
            case "UTINYINT" -> "SMALLINT";
            case "TIMESTAMP" -> "TIMESTAMP_NTZ";
            case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP";
            case "BLOB" -> "BINARY";
            default -> type;
        };
    }

    /** A DOUBLE quotient, NULL for a zero divisor (ANSI mode would fail), never Spark's DECIMAL. */
    @Override
    public String safeDivide(String numerator, String denominator) {
        return "(CAST(" + numerator + " AS DOUBLE) / nullif(CAST(" + denominator + " AS DOUBLE), 0))";
    }

    /** Spark reads inline rows as {@code FROM VALUES … AS alias(columns)}, wrapped to be a relation anywhere. */
    @Override
    public String values(java.util.List<String> rows, String alias, java.util.List<String> columns) {
        return "(SELECT * FROM VALUES " + String.join(", ", rows) + " AS " + alias + "(" + String.join(", ", columns)
                + ")) AS " + alias;
    }

    @Override
    public String typeStringList() {
        return "ARRAY<STRING>";
    }

    @Override
    public String stringList(List<String> literals) {
        return "CAST(array(" + String.join(", ", literals) + ") AS ARRAY<STRING>)";
    }

    @Override
    public String antiJoin() {
        return "LEFT ANTI JOIN";
    }

    /**
     * Spark has no {@code time_bucket} with an origin (its {@code window()} makes a struct, and
     * {@code date_trunc} only calendar units): epoch microseconds, floored to the width with
     * {@code pmod} (exact long arithmetic, no double rounding), back to a timestamp.
     */
    @Override
    public String timeBucket(String timestamp, java.time.Duration width, String origin) {
        long micros = Dialect.bucketMicros(width);
        String since = "(unix_micros(" + timestamp + ") - unix_micros(" + origin + "))";
        return "timestamp_micros(unix_micros(" + origin + ") + " + since + " - pmod(" + since + ", " + micros + "))";
    }

    /** Epoch microseconds since the origin, floored to the width with {@code pmod}, in exact long arithmetic. */
    @Override
    public String bucketNumber(String timestamp, java.time.Duration width, String origin) {
        long micros = Dialect.bucketMicros(width);
        String since = "(unix_micros(" + timestamp + ") - unix_micros(" + origin + "))";
        return "((" + since + " - pmod(" + since + ", " + micros + ")) div " + micros + ")";
    }

    /** Not negative, so {@code div} (which truncates) is the floor. */
    @Override
    public String bucketNumberFromOrigin(String timestamp, java.time.Duration width, String origin) {
        return "((unix_micros(" + timestamp + ") - unix_micros(" + origin + ")) div " + Dialect.bucketMicros(width) + ")";
    }
}
