package dev.soma.models.internal.window;

import dev.soma.models.error.WindowConfigException;
import org.assertj.core.api.ThrowingConsumer;
import dev.soma.models.internal.project.NodeConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Window boundaries for each granularity, across midnight and DST, and the config errors. */
class WindowSpecTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static NodeConfig config(Map<String, Object> values) {
        return MAPPER.convertValue(values, NodeConfig.class);
    }

    static WindowSpec spec(String granularity, String start, String timezone) {
        return WindowSpec.of("m", "models/m.sql", config(timezone == null
                ? Map.of("materialized", "windowed", "event_time", "t", "granularity", granularity, "start", start)
                : Map.of("materialized", "windowed", "event_time", "t", "granularity", granularity, "start", start,
                "timezone", timezone)));
    }

    @Test
    void fifteenMinuteWindowsTileAnHour() {
        WindowSpec spec = spec("15m", "2024-01-01", null);
        List<Window> due = spec.dueWindows(Instant.parse("2024-01-01T01:00:00Z"));
        assertThat(due).hasSize(4);
        assertThat(due.get(1)).isEqualTo(new Window(Instant.parse("2024-01-01T00:15:00Z"), Instant.parse("2024-01-01T00:30:00Z")));
        assertThat(due.get(0).startLiteral()).isEqualTo("TIMESTAMP '2024-01-01 00:00:00'");
    }

    @Test
    void twoHourWindowsStraddleMidnightAndOnlyFinishedOnesAreDue() {
        WindowSpec spec = spec("2h", "2024-01-01T23:00", null);
        List<Window> due = spec.dueWindows(Instant.parse("2024-01-02T04:59:00Z"));
        assertThat(due).containsExactly(
                new Window(Instant.parse("2024-01-01T23:00:00Z"), Instant.parse("2024-01-02T01:00:00Z")),
                new Window(Instant.parse("2024-01-02T01:00:00Z"), Instant.parse("2024-01-02T03:00:00Z")));
    }

    @Test
    void lagHoldsBackWindowsWhoseDataHasNotSettled() {
        WindowSpec spec = WindowSpec.of("m", "models/m.sql", config(Map.of("materialized", "windowed", "event_time", "t",
                "granularity", "1h", "start", "2024-01-01", "lag", "1d")));
        assertThat(spec.dueWindows(Instant.parse("2024-01-02T05:30:00Z"))).hasSize(5);
    }

    @Test
    void dayWindowsFollowLocalMidnightSoDstDaysAre23And25Hours() {
        WindowSpec spec = spec("1d", "2024-03-30", "Europe/Berlin");
        assertThat(spec.window(0, NOW).length()).isEqualTo(Duration.ofHours(24));
        assertThat(spec.window(1, NOW).start()).isEqualTo(Instant.parse("2024-03-30T23:00:00Z"));   // 31 March, 00:00 CET
        assertThat(spec.window(1, NOW).length()).isEqualTo(Duration.ofHours(23));
        assertThat(spec.window(2, NOW).start()).isEqualTo(Instant.parse("2024-03-31T22:00:00Z"));   // 1 April, 00:00 CEST

        WindowSpec autumn = spec("1d", "2024-10-27", "Europe/Berlin");
        assertThat(autumn.window(0, NOW).length()).isEqualTo(Duration.ofHours(25));
        assertThat(autumn.window(1, NOW).start()).isEqualTo(Instant.parse("2024-10-27T23:00:00Z"));
    }

    @Test
    void hourWindowsAcrossDstNeverDuplicateOrDropAnHour() {
        WindowSpec spec = spec("1h", "2024-10-26T22:00", "Europe/Berlin");
        List<Window> due = spec.dueWindows(Instant.parse("2024-10-28T00:00:00Z"));
        for (int i = 0; i < due.size(); i++) {
            assertThat(due.get(i).length()).isEqualTo(Duration.ofHours(1));
            if (i > 0) {
                assertThat(due.get(i).start()).isEqualTo(due.get(i - 1).end());
            }
        }
        assertThat(due.stream().map(Window::start).distinct()).hasSize(due.size());
    }

    @Test
    void aRelativeStartIsLocalMidnightThatManyDaysBeforeTheRun() {
        WindowSpec spec = spec("2h", "-2d", "Europe/Berlin");
        List<Window> due = spec.dueWindows(Instant.parse("2024-06-10T10:30:00Z"));
        assertThat(due.get(0).start()).isEqualTo(Instant.parse("2024-06-07T22:00:00Z"));   // 8 June 00:00 CEST
        assertThat(due.get(due.size() - 1).end()).isEqualTo(Instant.parse("2024-06-10T10:00:00Z"));
    }

    @Test
    void configErrorsNameTheModelTheKeyAndTheValue() {
        assertThatThrownBy(() -> spec("2w", "2024-01-01", null)).satisfies(invalid("granularity", "2w"));
        assertThatThrownBy(() -> spec("1.5h", "2024-01-01", null)).satisfies(invalid("granularity", "1.5h"));
        assertThatThrownBy(() -> WindowSpec.of("m", "models/m.sql", config(Map.of("event_time", "t", "granularity", "1h",
                "start", "2024-01-01", "lag", "-1d")))).satisfies(invalid("lag", "-1d"));
        assertThatThrownBy(() -> WindowSpec.of("m", "models/m.sql", config(Map.of("granularity", "1h", "start", "2024-01-01"))))
                .satisfies(invalid("event_time", null));
        assertThatThrownBy(() -> spec("1h", "2024-01-01", "Mars/Olympus")).satisfies(invalid("timezone", "Mars/Olympus"));
        assertThatThrownBy(() -> spec("1h", "yesterday", null)).satisfies(invalid("start", "yesterday"));
        assertThatThrownBy(() -> WindowSpec.of("m", "models/m.sql", config(Map.of("event_time", "t", "granularity", "1h",
                "start", "2024-01-01", "audit", "lots")))).satisfies(invalid("audit", "lots"));
    }

    @Test
    void aConfigErrorReadsAsFileModelKeyAndFix() {
        // Golden: the wording a user reads for a bad window key.
        assertThatThrownBy(() -> spec("2w", "2024-01-01", null)).hasMessage("models/m.sql: windowed model m has granularity "
                + "'2w' with unknown unit 'w'; use m (minutes), h (hours) or d (days), e.g. 15m, 2h, 1d");
    }

    private static ThrowingConsumer<Throwable> invalid(String key, String value) {
        return thrown -> assertThat(thrown).isInstanceOfSatisfying(WindowConfigException.class, e -> {
            assertThat(e.model()).isEqualTo("m");
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.location().file()).isEqualTo("models/m.sql");
        });
    }

    @Test
    void auditIsExactByDefaultOrWithinAPercentage() {
        assertThat(spec("1h", "2024-01-01", null).auditPasses(100, 99)).isFalse();
        WindowSpec tolerant = WindowSpec.of("m", "models/m.sql", config(Map.of("event_time", "t", "granularity", "1h",
                "start", "2024-01-01", "audit", "1%")));
        assertThat(tolerant.auditPasses(100, 99)).isTrue();
        assertThat(tolerant.auditPasses(100, 98)).isFalse();
    }
}
