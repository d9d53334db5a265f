package dev.soma.core.engine;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.time.Duration;
import java.util.List;

/**
 * How one engine spells names and the few expressions whose spelling differs: the part of an
 * {@link Engine} a template sees (through {@code ref()}, {@code source()}, {@code this} and the
 * cross-engine macros of docs/engines.md), and that SQL builders use for every name they write.
 * Implementations are immutable and thread-safe.
 *
 * <p>Each expression method takes SQL expressions as text and returns SQL text; none of them
 * quotes its arguments.
 */
public interface Dialect {

    /**
     * Quotes one identifier so any name is safe (a schema called {@code select}, a column with a quote
     * in it).
     *
     * @throws SomaException if the name is empty or has a NUL character
     */
    String quote(String identifier);

    /**
     * The engine's full form of a relation, as {@code ref()} and {@code source()} render it: two parts
     * ({@code "schema"."name"}) or three with the catalog ({@code `catalog`.`schema`.`name`}).
     */
    String relation(String schema, String name);

    /** Quotes a string literal: {@code it's} becomes {@code 'it''s'} (standard SQL; engines may differ). */
    default String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    /**
     * Difference between two dates or timestamps in whole {@code datepart}s ({@code day}, {@code week},
     * {@code month}, {@code year}, {@code hour}, …), {@code second} minus {@code first}, as dbt's
     * {@code datediff(first_date, second_date, datepart)}.
     */
    String datediff(String first, String second, String datepart);

    /** Whether {@code value} matches the regular expression {@code pattern} as a whole (not a substring). */
    String regexpFullMatch(String value, String pattern);

    /** {@code CAST(expression AS type)}. */
    default String cast(String expression, String type) {
        return "CAST(" + expression + " AS " + type + ")";
    }

    /** The engine's name of the variable-length string type ({@code VARCHAR}, {@code STRING}). */
    String typeString();

    /**
     * This engine's spelling of a type in Soma's normal form (DuckDB's names: {@code VARCHAR},
     * {@code INTEGER}, {@code HUGEINT}, {@code DECIMAL(10,2)}, {@code TIMESTAMP}, {@code INTEGER[]}, …),
     * as a contract declares it. The default keeps it as it is.
     */
    default String typeName(String normalType) {
        return normalType;
    }

    /** The engine's type of a list of strings ({@code VARCHAR[]}, {@code ARRAY<STRING>}). */
    default String typeStringList() {
        return typeString() + "[]";
    }

    /** A list of strings of {@link #typeStringList()}'s type from literals already quoted (maybe none). */
    default String stringList(List<String> literals) {
        return "[" + String.join(", ", literals) + "]::" + typeStringList();
    }

    /** The engine's name of the 8-byte floating point type. */
    default String typeFloat() {
        return "DOUBLE";
    }

    /**
     * {@code numerator / denominator} as a double, NULL when the denominator is zero or NULL, on every
     * engine: neither an error (ANSI division by zero) nor a DECIMAL where another engine gives a DOUBLE.
     * The standard spelling reads the same on the engines Soma knows.
     */
    default String safeDivide(String numerator, String denominator) {
        return "(cast(" + numerator + " as double) / nullif(" + denominator + ", 0))";
    }

    /**
     * A relation of literal rows, usable after {@code FROM} or {@code USING}: {@code (VALUES …) AS alias(columns)}.
     *
     * @param rows each a parenthesised list of SQL literals
     */
    default String values(List<String> rows, String alias, List<String> columns) {
        return "(VALUES " + String.join(", ", rows) + ") AS " + alias + "(" + String.join(", ", columns) + ")";
    }

    /**
     * A relation {@code alias(column)} of the timestamps {@code first}, {@code first + step}, {@code first + 2 step}, …
     * before {@code end}, made by the engine, usable where {@link #values} is; or {@code null} where the engine has no
     * generator for it, and the caller lists the timestamps with {@link #values}. A listed literal is bound on its own
     * (DuckDB: a year of daily windows, 365 timestamps, costs 10-20 ms to bind in each statement that lists them).
     *
     * @param first a {@code TIMESTAMP} literal
     * @param end   a {@code TIMESTAMP} literal, after {@code first} by a whole number of {@code step}s
     * @param step  at least one microsecond
     */
    default String timestampSeries(String first, String end, Duration step, String alias, String column) {
        return null;
    }

    /**
     * {@link #timestampSeries}, each timestamp in a row with the number of {@code numbers} at its place, in column
     * {@code numberColumn} ({@code BIGINT}); or {@code null} where the engine has no generator.
     *
     * @param numbers one for each timestamp of the series
     */
    default String timestampSeries(String first, String end, Duration step, long[] numbers, String alias, String column,
                                   String numberColumn) {
        return null;
    }

    /** The join keyword that keeps the left rows with no match on the right ({@code ANTI JOIN}). */
    String antiJoin();

    /**
     * The start of the fixed-width time bucket that holds {@code timestamp}, a {@code TIMESTAMP}:
     * {@code origin + floor((timestamp - origin) / width) * width}, exact to the microsecond, for
     * timestamps before the origin too. Buckets are absolute time (a width of a day is 86,400 s), so
     * a row lands in bucket {@code b} exactly when {@code b <= timestamp < b + width}: what a windowed
     * model's set-based first build groups its rows by (DuckDB's {@code time_bucket}).
     *
     * @param timestamp a {@code TIMESTAMP} expression
     * @param width     at least one microsecond
     * @param origin    a {@code TIMESTAMP} expression, a bucket boundary
     */
    String timeBucket(String timestamp, Duration width, String origin);

    /**
     * The number of the fixed-width bucket that holds {@code timestamp}, a {@code BIGINT}:
     * {@code floor((timestamp - origin) / width)}, 0 for the bucket that starts at the origin, negative before
     * it; the bucket's start is {@code origin + number * width} ({@link #timeBucket}). Cheaper to compute and to
     * group by than the bucket's start: what a windowed model's set-based first build counts its rows by.
     *
     * @param timestamp a {@code TIMESTAMP} expression
     * @param width     at least one microsecond
     * @param origin    a {@code TIMESTAMP} expression, a bucket boundary
     */
    String bucketNumber(String timestamp, Duration width, String origin);

    /**
     * {@link #bucketNumber}, for a {@code timestamp} at or after the origin only (the caller's predicate keeps the
     * others out): then the floor is a plain integer division, about half the work of the exact floor per row
     * (DuckDB, 10M rows: ~230 ms against ~540). Undefined for a timestamp before the origin.
     *
     * @param timestamp a {@code TIMESTAMP} expression, never before {@code origin}
     * @param width     at least one microsecond
     * @param origin    a {@code TIMESTAMP} expression, a bucket boundary
     */
    default String bucketNumberFromOrigin(String timestamp, Duration width, String origin) {
        return bucketNumber(timestamp, width, origin);
    }

    /** {@code width} in whole microseconds, checked positive: for {@link #timeBucket} implementations. */
    static long bucketMicros(Duration width) {
        long micros = width.toNanos() / 1000;
        if (micros <= 0 || width.toNanos() % 1000 != 0) {
            throw new SomaException(ErrorCode.INTERNAL, "a time bucket is a positive whole number of microseconds, not " + width);
        }
        return micros;
    }

    /** Checks an identifier as every dialect must: not empty, no NUL character. */
    static String checkIdentifier(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "an identifier must not be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    "identifier contains a NUL character: " + identifier.replace('\0', '?'));
        }
        return identifier;
    }
}
