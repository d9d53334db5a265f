package dev.soma.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a failed job waits before its next attempt.
 *
 * <p>The default, {@link #exponential()}: {@code delay(attempt) = min(attempt^4 s, 1 h) x U(0.9, 1.1)},
 * i.e. 1 s, 16 s, 81 s, 4.3 min, 10.4 min, … capped at one hour, each ±10% at random so that jobs
 * that failed together do not retry together (River's formula, with a cap).
 */
@FunctionalInterface
public interface Backoff {

    /** The wait after attempt number {@code attempt} (1 for the first run) failed. */
    Duration delay(int attempt, RandomGenerator random);

    /** {@code min(attempt^4 s, 1 h)} ±10%. */
    static Backoff exponential() {
        return exponential(Duration.ofSeconds(1), Duration.ofHours(1), 0.10);
    }

    /**
     * {@code min(base x attempt^4, cap) x U(1 - jitter, 1 + jitter)}.
     *
     * @param jitter the relative spread, 0 to 1
     */
    static Backoff exponential(Duration base, Duration cap, double jitter) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        return (attempt, random) -> {
            double power = Math.pow(Math.max(1, attempt), 4);
            double nanos = Math.min(base.toNanos() * power, cap.toNanos());
            double factor = jitter == 0 ? 1 : 1 - jitter + random.nextDouble() * 2 * jitter;
            return Duration.ofNanos((long) (nanos * factor));
        };
    }

    /** The same wait every time (tests, or handlers that know better). */
    static Backoff fixed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return (attempt, random) -> delay;
    }
}
