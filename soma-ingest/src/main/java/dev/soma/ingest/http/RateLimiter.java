package dev.soma.ingest.http;

import java.time.Duration;

/**
 * Spaces request starts evenly: at most {@code requests} per {@code per}, with no burst beyond one.
 * A request that may start now is never made to wait, so requests overlap whenever the limit allows.
 * Shared by the HTTP sources and the book extractors. Thread-safe.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextSlot;

    /** At most {@code requests} per {@code per}; 0 or fewer requests is no limit. */
    public RateLimiter(int requests, Duration per) {
        this.intervalNanos = requests <= 0 ? 0 : per.toNanos() / requests;
        this.nextSlot = System.nanoTime();
    }

    /** Blocks until the caller may start a request. */
    public void acquire() throws InterruptedException {
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
