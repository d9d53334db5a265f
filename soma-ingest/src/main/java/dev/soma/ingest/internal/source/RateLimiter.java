package dev.soma.ingest.internal.source;

import java.time.Duration;

/**
 * Spaces request starts evenly: at most {@code requests} per {@code per}, with no burst beyond one.
 * A request that may start now is never made to wait, so requests overlap whenever the limit allows.
 * Thread-safe.
 */
final class RateLimiter {

    private final long intervalNanos;
    private long nextSlot;

    RateLimiter(int requests, Duration per) {
        this.intervalNanos = requests <= 0 ? 0 : per.toNanos() / requests;
        this.nextSlot = System.nanoTime();
    }

    /** Blocks until the caller may start a request. */
    void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlot);
            nextSlot = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
