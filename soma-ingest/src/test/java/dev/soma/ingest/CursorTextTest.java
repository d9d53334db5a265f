package dev.soma.ingest;

import dev.soma.ingest.internal.load.CursorText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DuckDB's text of a cursor written back in ISO 8601, the way the source's `initial` is written. */
class CursorTextTest {

    @Test
    void timestampsGoBackInIso8601ShapedLikeInitial() {
        assertThat(CursorText.iso("2024-03-24 01:00:00", "2024-03-01T00:00:00Z")).isEqualTo("2024-03-24T01:00:00Z");
        assertThat(CursorText.iso("2024-03-24 01:00:00", "2024-03-01T00:00:00+01:00")).isEqualTo("2024-03-24T01:00:00+01:00");
        assertThat(CursorText.iso("2024-03-24 01:00:00.25", "2024-03-01T00:00:00")).isEqualTo("2024-03-24T01:00:00.25");
        assertThat(CursorText.iso("2024-03-24 01:00:00", null)).isEqualTo("2024-03-24T01:00:00");
        assertThat(CursorText.iso("2024-03-24 01:00:00", "2024-03-01 00:00:00")).isEqualTo("2024-03-24 01:00:00");
        assertThat(CursorText.iso("2024-03-24 01:00:00+00", null)).isEqualTo("2024-03-24T01:00:00Z");
        assertThat(CursorText.iso("2024-03-24 01:00:00+05:30", null)).isEqualTo("2024-03-24T01:00:00+05:30");
        assertThat(CursorText.iso("2024-03-24", "2024-03-01")).isEqualTo("2024-03-24");
        assertThat(CursorText.iso("1711242000", "0")).isEqualTo("1711242000");
    }

    @Test
    void theApisOwnTextWinsAndInitialComesFirst() {
        assertThat(CursorText.toSend(null, null, "2024-03-01T00:00:00Z")).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(CursorText.toSend("2024-03-24 01:00:00", "2024-03-24T02:00:00+01:00", "2024-03-01T00:00:00Z"))
                .isEqualTo("2024-03-24T02:00:00+01:00");
        assertThat(CursorText.toSend("2024-03-24 01:00:00", null, "2024-03-01T00:00:00Z")).isEqualTo("2024-03-24T01:00:00Z");
    }
}
