package dev.soma.models.internal.window;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger rows {@link WindowLedger#register} writes, whichever columns it derives in SQL and which it
 * writes per window: each row must hold the window's own end, day in the model's zone and length.
 */
class WindowLedgerRegisterTest {

    private static final SqlOwner OWNER = SqlOwner.soma("test");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private record Row(Instant start, Instant end, LocalDate day, long minutes, String status, int attempt, Instant createdAt) {
    }

    @Test
    void dailyUtcWindowsGetTheirEndDayAndLength() {
        WindowSpec spec = WindowSpecTest.spec("1d", "2024-01-01", null);
        assertRegistered(spec, spec.dueWindows(Instant.parse("2024-02-01T00:00:00Z")));
    }

    @Test
    void zonedDaysAcrossDaylightSavingKeepTheirOwnLengthAndLocalDay() {
        WindowSpec spec = WindowSpecTest.spec("1d", "2024-03-28", "Europe/Berlin");
        List<Window> due = spec.dueWindows(Instant.parse("2024-04-03T00:00:00Z"));
        assertThat(due).extracting(window -> window.length().toHours()).contains(23L, 24L);
        assertRegistered(spec, due);
    }

    @Test
    void hourlyWindowsOverMidnightAndWindowsWithGapsToo() {
        WindowSpec spec = WindowSpecTest.spec("1h", "2024-01-01", null);
        List<Window> due = spec.dueWindows(Instant.parse("2024-01-02T03:00:00Z"));
        assertRegistered(spec, due);
        List<Window> gaps = List.of(due.get(0), due.get(5), due.get(6), due.get(20));
        WindowSpec zoned = WindowSpecTest.spec("1h", "2024-01-01", "America/New_York");
        assertRegistered(zoned, gaps);
    }

    @Test
    void aWindowAlreadyInTheLedgerIsLeftAsItIs() {
        WindowSpec spec = WindowSpecTest.spec("1d", "2024-01-01", null);
        List<Window> due = spec.dueWindows(Instant.parse("2024-01-05T00:00:00Z"));
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Session session = warehouse.session();
            WindowLedger.create(session);
            WindowLedger ledger = new WindowLedger(session);
            ledger.register("m", spec, due.subList(0, 2), NOW);
            ledger.register("m", spec, due, NOW.plusSeconds(3600));
            List<Row> rows = rows(session, "m");
            assertThat(rows).hasSize(due.size());
            assertThat(rows).extracting(Row::createdAt).containsExactly(NOW, NOW, NOW.plusSeconds(3600), NOW.plusSeconds(3600));
        }
    }

    private static void assertRegistered(WindowSpec spec, List<Window> windows) {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Session session = warehouse.session();
            WindowLedger.create(session);
            new WindowLedger(session).register("m", spec, windows, NOW);
            List<Row> expected = windows.stream().map(window -> new Row(window.start(), window.end(),
                    window.start().atZone(spec.zone()).toLocalDate(), window.length().toMinutes(), "PENDING", 0, NOW)).toList();
            assertThat(rows(session, "m")).containsExactlyElementsOf(expected);
        }
    }

    private static List<Row> rows(Session session, String model) {
        return session.queryList(OWNER, "SELECT window_start, window_end, target_day, interval_minutes, status, retry_attempt, "
                + "created_at FROM soma_meta.windows WHERE model = '" + model + "' ORDER BY window_start",
                rs -> new Row(rs.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC),
                        rs.getTimestamp(2).toLocalDateTime().toInstant(ZoneOffset.UTC), rs.getDate(3).toLocalDate(),
                        rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getTimestamp(7).toLocalDateTime().toInstant(ZoneOffset.UTC)));
    }
}
