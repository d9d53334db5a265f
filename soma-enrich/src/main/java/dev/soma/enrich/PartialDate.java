package dev.soma.enrich;

import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A publication date as precise as its source: "2004" is {@code 2004-01-01} at {@link Precision#YEAR},
 * "2015-01" and "June 1997" are the first of the month at {@link Precision#MONTH}, "1997-06-26" and
 * "Mar 03, 2015" are days.
 */
public record PartialDate(LocalDate date, Precision precision) {

    /** How much of {@link #date()} the source actually said. Ordered from least to most precise. */
    public enum Precision { YEAR, MONTH, DAY }

    private static final Pattern YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern YEAR_MONTH = Pattern.compile("(\\d{4})-(\\d{1,2})");
    private static final Pattern ISO_DAY = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern MONTH_YEAR = Pattern.compile("([A-Za-z]+)\\.?,?\\s+(\\d{4})");
    private static final Pattern MONTH_DAY_YEAR = Pattern.compile("([A-Za-z]+)\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})");
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile("(\\d{1,2})\\s+([A-Za-z]+)\\.?,?\\s+(\\d{4})");
    private static final Pattern ANY_YEAR = Pattern.compile("(?<!\\d)(1[4-9]\\d\\d|20\\d\\d)(?!\\d)");
    private static final Map<String, Month> MONTHS = Stream.of(Month.values()).flatMap(m -> Stream.of(
                    Map.entry(m.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT), m),
                    Map.entry(m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT), m)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));

    public PartialDate {
        if (date == null || precision == null) {
            throw new IllegalArgumentException("a partial date needs a date and a precision");
        }
    }

    /**
     * Reads the free-text dates both services use. Returns null for null, blank or text with no year
     * in it; text with a year but nothing else readable ("c1997", "1997?") gives that year.
     */
    public static PartialDate parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            Matcher m;
            if ((m = ISO_DAY.matcher(s)).matches()) {
                return new PartialDate(LocalDate.of(i(m, 1), i(m, 2), i(m, 3)), Precision.DAY);
            }
            if ((m = YEAR_MONTH.matcher(s)).matches()) {
                return new PartialDate(LocalDate.of(i(m, 1), i(m, 2), 1), Precision.MONTH);
            }
            if ((m = YEAR.matcher(s)).matches()) {
                return new PartialDate(LocalDate.of(i(m, 1), 1, 1), Precision.YEAR);
            }
            if ((m = MONTH_DAY_YEAR.matcher(s)).matches() && month(m.group(1)) != null) {
                return new PartialDate(LocalDate.of(i(m, 3), month(m.group(1)), i(m, 2)), Precision.DAY);
            }
            if ((m = DAY_MONTH_YEAR.matcher(s)).matches() && month(m.group(2)) != null) {
                return new PartialDate(LocalDate.of(i(m, 3), month(m.group(2)), i(m, 1)), Precision.DAY);
            }
            if ((m = MONTH_YEAR.matcher(s)).matches() && month(m.group(1)) != null) {
                return new PartialDate(LocalDate.of(i(m, 2), month(m.group(1)), 1), Precision.MONTH);
            }
        } catch (java.time.DateTimeException invalid) {
            // "2015-13" or "Feb 30, 2015": fall back to the year below
        }
        Matcher year = ANY_YEAR.matcher(s);
        return year.find() ? new PartialDate(LocalDate.of(Integer.parseInt(year.group(1)), 1, 1), Precision.YEAR) : null;
    }

    /** True when this date says more than {@code other} (a null other is less precise than anything). */
    public boolean morePreciseThan(PartialDate other) {
        return other == null || precision.compareTo(other.precision) > 0;
    }

    @Override
    public String toString() {
        return switch (precision) {
            case YEAR -> String.valueOf(date.getYear());
            case MONTH -> String.format("%04d-%02d", date.getYear(), date.getMonthValue());
            case DAY -> date.toString();
        };
    }

    private static int i(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static Integer month(String name) {
        Month m = MONTHS.get(name.toLowerCase(Locale.ROOT));
        if (m == null && name.length() > 3) {
            m = MONTHS.get(name.substring(0, 3).toLowerCase(Locale.ROOT));
        }
        return m == null ? null : m.getValue();
    }
}
