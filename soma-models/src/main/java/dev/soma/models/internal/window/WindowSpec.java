package dev.soma.models.internal.window;

import dev.soma.models.error.WindowConfigException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.NodeConfig;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A windowed model's configuration, checked.
 *
 * <p>Minute and hour windows are fixed lengths of absolute time from {@code start}, so a DST change
 * never duplicates or drops an hour. Day windows follow local midnight in {@code timezone}: a DST day
 * is 23 or 25 hours long.
 *
 * @param eventTime        the output column that places a row in a window
 * @param amount           how many {@code unit}s one window lasts
 * @param unit             minutes, hours or days
 * @param lag              how long data needs to settle: a window is due once its end ≤ now − lag
 * @param start            the first window's start, local to {@code zone}; {@code null} when relative
 * @param startDaysBack    a relative start ({@code -7d}): local midnight that many days before the run's
 *                         now; -1 when {@code start} is absolute
 * @param zone             where days begin
 * @param auditTolerance   allowed difference in percent between source and target (0: exact)
 * @param staleLockAfter   a lock older than this is released at the start of the next run
 * @param maxWindowsPerRun at most this many windows per run (0: no limit)
 */
public record WindowSpec(String eventTime, long amount, ChronoUnit unit, Duration lag, LocalDateTime start, int startDaysBack, ZoneId zone,
                         double auditTolerance, Duration staleLockAfter, int maxWindowsPerRun) {

    private static final Pattern SPAN = Pattern.compile("\\s*(-?\\d+)\\s*([A-Za-z]+)\\s*");
    private static final Pattern RELATIVE_START = Pattern.compile("\\s*-(\\d+)d\\s*");
    static final Duration DEFAULT_STALE_LOCK = Duration.ofHours(1);

    /**
     * Reads and checks the window keys of a model's config.
     *
     * @throws WindowConfigException naming the model, the key, the value and the fix
     */
    public static WindowSpec of(String model, String path, NodeConfig config) {
        SourceLocation at = SourceLocation.of(path);
        if (config.eventTime() == null || config.eventTime().isBlank()) {
            throw new WindowConfigException(at, model, "event_time", config.eventTime(), "windowed model " + model + " has no event_time; set event_time to the output "
                    + "column that places a row in a window, e.g. <@config materialized=\"windowed\" event_time=\"created_at\" granularity=\"1h\" start=\"2024-01-01\"/>");
        }
        if (config.granularity() == null) {
            throw new WindowConfigException(at, model, "granularity", null, "windowed model " + model + " has no granularity; set granularity to a whole "
                    + "number of minutes, hours or days, e.g. 15m, 2h or 1d");
        }
        Span granularity = span(at, model, "granularity", config.granularity());
        if (granularity.amount <= 0) {
            throw new WindowConfigException(at, model, "granularity", config.granularity(), "windowed model " + model + " has granularity '" + config.granularity()
                    + "'; a window must be at least 1 unit long, e.g. 15m, 2h or 1d");
        }
        Duration lag = Duration.ZERO;
        if (config.lag() != null) {
            Span span = span(at, model, "lag", config.lag());
            if (span.amount < 0) {
                throw new WindowConfigException(at, model, "lag", config.lag(), "windowed model " + model + " has a negative lag '" + config.lag()
                        + "'; lag is how long data needs to settle: 0m or more, e.g. 1d");
            }
            lag = span.duration();
        }
        if (config.start() == null) {
            throw new WindowConfigException(at, model, "start", null, "windowed model " + model + " has no start; set start to the first window's "
                    + "start, e.g. start=\"2024-01-01\" or \"2024-01-01T06:00\", or -7d for local midnight 7 days before each run");
        }
        LocalDateTime start = null;
        int daysBack = -1;
        Matcher relative = RELATIVE_START.matcher(config.start());
        if (relative.matches()) {
            daysBack = Integer.parseInt(relative.group(1));
        } else {
            start = parseStart(at, model, config.start());
        }
        ZoneId zone = ZoneId.of("UTC");
        if (config.timezone() != null) {
            try {
                zone = ZoneId.of(config.timezone());
            } catch (DateTimeException e) {
                throw new WindowConfigException(at, model, "timezone", config.timezone(), "windowed model " + model + " has unknown timezone '" + config.timezone()
                        + "'; use a region name such as Europe/Berlin or UTC");
            }
        }
        double tolerance = parseAudit(at, model, config.audit());
        Duration stale = DEFAULT_STALE_LOCK;
        if (config.staleLockAfter() != null) {
            Span span = span(at, model, "stale_lock_after", config.staleLockAfter());
            if (span.amount <= 0) {
                throw new WindowConfigException(at, model, "stale_lock_after", config.staleLockAfter(), "windowed model " + model + " has stale_lock_after '" + config.staleLockAfter()
                        + "'; it must be positive, e.g. 30m");
            }
            stale = span.duration();
        }
        int max = config.maxWindowsPerRun() == null ? 0 : config.maxWindowsPerRun();
        if (max < 0) {
            throw new WindowConfigException(at, model, "max_windows_per_run", String.valueOf(max), "windowed model " + model + " has max_windows_per_run " + max
                    + "; use a positive number, or leave it out for no limit");
        }
        return new WindowSpec(config.eventTime(), granularity.amount, granularity.unit, lag, start, daysBack, zone, tolerance, stale, max);
    }

    /** The granularity as written in config ({@code 2h}). */
    public String granularityLabel() {
        return amount + switch (unit) {
            case MINUTES -> "m";
            case HOURS -> "h";
            default -> "d";
        };
    }

    /** The {@code index}-th window (0: the one starting at {@code start}) of a run at {@code now}. */
    public Window window(long index, Instant now) {
        ZonedDateTime first = firstStart(now);
        return new Window(boundary(first, index), boundary(first, index + 1));
    }

    /** The first window's start: {@code start}, or local midnight {@code startDaysBack} days before {@code now}. */
    public ZonedDateTime firstStart(Instant now) {
        if (start != null) {
            return start.atZone(zone);
        }
        return now.atZone(zone).toLocalDate().minusDays(startDaysBack).atStartOfDay(zone);
    }

    private Instant boundary(ZonedDateTime first, long index) {
        if (unit == ChronoUnit.DAYS) {
            // Local midnight (or local start time) every N days: DST days are 23 or 25 hours.
            return first.plusDays(index * amount).toInstant();
        }
        return first.toInstant().plus(Duration.of(index * amount, unit));
    }

    /** Every window from {@code start} whose end ≤ {@code now − lag}, in order. */
    public List<Window> dueWindows(Instant now) {
        Instant cutoff = now.minus(lag);
        ZonedDateTime first = firstStart(now);
        List<Window> due = new ArrayList<>();
        for (long i = 0; ; i++) {
            Window window = new Window(boundary(first, i), boundary(first, i + 1));
            if (window.end().isAfter(cutoff)) {
                return due;
            }
            due.add(window);
        }
    }

    /** Whether {@code sourceCount} and {@code targetCount} agree within the audit tolerance. */
    public boolean auditPasses(long sourceCount, long targetCount) {
        long difference = Math.abs(sourceCount - targetCount);
        if (difference == 0) {
            return true;
        }
        if (auditTolerance == 0 || sourceCount == 0) {
            return false;
        }
        return 100.0 * difference / sourceCount <= auditTolerance;
    }

    private record Span(long amount, ChronoUnit unit) {
        Duration duration() {
            return Duration.of(amount, unit);
        }
    }

    private static Span span(SourceLocation at, String model, String key, String text) {
        Matcher matcher = SPAN.matcher(text);
        if (!matcher.matches()) {
            throw new WindowConfigException(at, model, key, text, "windowed model " + model + " has " + key + " '" + text
                    + "'; write a whole number and a unit: m (minutes), h (hours) or d (days), e.g. 15m, 2h, 1d");
        }
        long amount = Long.parseLong(matcher.group(1));
        ChronoUnit unit = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "m", "min", "minute", "minutes" -> ChronoUnit.MINUTES;
            case "h", "hour", "hours" -> ChronoUnit.HOURS;
            case "d", "day", "days" -> ChronoUnit.DAYS;
            default -> throw new WindowConfigException(at, model, key, text, "windowed model " + model + " has " + key + " '" + text
                    + "' with unknown unit '" + matcher.group(2) + "'; use m (minutes), h (hours) or d (days), e.g. 15m, 2h, 1d");
        };
        return new Span(amount, unit);
    }

    private static LocalDateTime parseStart(SourceLocation at, String model, String text) {
        try {
            return text.length() <= 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text.replace(' ', 'T'));
        } catch (DateTimeException e) {
            throw new WindowConfigException(at, model, "start", text, "windowed model " + model + " has start '" + text
                    + "', which is not a date; write 2024-01-01 or 2024-01-01T06:00, or -7d (local midnight 7 days before each run)");
        }
    }

    private static double parseAudit(SourceLocation at, String model, String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("exact")) {
            return 0;
        }
        String number = text.strip();
        if (number.endsWith("%")) {
            number = number.substring(0, number.length() - 1).strip();
        }
        try {
            double value = Double.parseDouble(number);
            if (value >= 0 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new WindowConfigException(at, model, "audit", text, "windowed model " + model + " has audit '" + text
                + "'; write exact (the default) or a tolerance in percent, e.g. 0.5%");
    }
}
