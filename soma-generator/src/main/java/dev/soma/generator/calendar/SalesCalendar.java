package dev.soma.generator.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;

/**
 * How likely each day of the sales window is: a month factor (Q4 seasonality) times a weekday factor.
 * Turned into an inverse-CDF table of {@link #slots()} entries: a sale draws a uniform slot and takes
 * that slot's day, so day {@code d} is drawn with probability proportional to its weight (to within
 * one slot, under 2% of a day's weight with the slot count chosen here).
 */
public final class SalesCalendar {

    /** Weight of a day by month, January first. Q4 is the holiday season. */
    private static final double[] MONTH_FACTOR = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.5, 2.0};
    /** Weight of a day by weekday, Monday first. Weekends sell more. */
    private static final double[] WEEKDAY_FACTOR = {1.0, 1.0, 1.0, 1.0, 1.15, 1.4, 1.25};

    private final LocalDate start;
    private final int days;

    /**
     * @param start the first day of the window
     * @param days  the window's length in days
     */
    public SalesCalendar(LocalDate start, int days) {
        this.start = start;
        this.days = days;
    }

    /** The relative weight of {@code month}. */
    public static double monthFactor(Month month) {
        return MONTH_FACTOR[month.ordinal()];
    }

    /** The relative weight of {@code day}. */
    public static double weekdayFactor(DayOfWeek day) {
        return WEEKDAY_FACTOR[day.ordinal()];
    }

    /** The relative weight of one date. */
    public static double weight(LocalDate date) {
        return monthFactor(date.getMonth()) * weekdayFactor(date.getDayOfWeek());
    }

    /** Slots in the table: a power of two, at least 65,536 and at least 64 per day. */
    public int slots() {
        int wanted = Math.max(1 << 16, days * 64);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /**
     * The inverse-CDF table: entry {@code s} is the day offset (from the window start) of the day
     * whose cumulative weight first exceeds {@code (s + 0.5) / slots()}.
     */
    public int[] slotDays() {
        int slots = slots();
        double[] cumulative = new double[days];
        double total = 0;
        for (int d = 0; d < days; d++) {
            total += weight(start.plusDays(d));
            cumulative[d] = total;
        }
        int[] table = new int[slots];
        int day = 0;
        for (int s = 0; s < slots; s++) {
            double target = (s + 0.5) / slots * total;
            while (day < days - 1 && cumulative[day] <= target) {
                day++;
            }
            table[s] = day;
        }
        return table;
    }
}
