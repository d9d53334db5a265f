package dev.soma.ingest.http;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Reading what an HTTP server answered: its {@code Retry-After}, and its status and a one-line sample of its body for messages. */
public final class HttpReplies {

    private static final int SNIPPET_LENGTH = 120;

    private HttpReplies() {
    }

    /**
     * The wait a {@code Retry-After} header asks for, in either of its forms (seconds, or an HTTP date measured
     * from {@code now}); {@code null} when the header is absent or unreadable, zero for a date in the past.
     */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(now,
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** {@code "HTTP 503 (first 120 characters of the body…)"}: an answer's status and body, for messages. */
    public static String status(HttpResponse<String> response) {
        return "HTTP " + response.statusCode() + snippet(response.body());
    }

    /** {@code " (first 120 characters of the body on one line…)"}, or an empty string for an empty body. */
    public static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.strip().replaceAll("\\s+", " ");
        return " (" + (one.length() > SNIPPET_LENGTH ? one.substring(0, SNIPPET_LENGTH) + "…" : one) + ")";
    }
}
