package dev.soma.ingest.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRepliesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(HttpReplies.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpReplies.retryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpReplies.retryAfter("Sun, 22 Nov 2026 12:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpReplies.retryAfter("Sun, 22 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpReplies.retryAfter("soon", NOW)).isNull();
        assertThat(HttpReplies.retryAfter(null, NOW)).isNull();
    }

    @Test
    void snippetIsOneShortLine() {
        assertThat(HttpReplies.snippet("  ")).isEmpty();
        assertThat(HttpReplies.snippet("<html>\n  <b>busy</b>\n</html>")).isEqualTo(" (<html> <b>busy</b> </html>)");
        assertThat(HttpReplies.snippet("x".repeat(500))).hasSize(2 + 120 + 1 + 1);
    }
}
