package dev.soma.jobs.internal;

import java.time.Duration;

/** A wake-up: {@link #await} returns when {@link #fire} is called after it started, or at the timeout. */
final class Signal {

    private long generation;

    synchronized void fire() {
        generation++;
        notifyAll();
    }

    synchronized void await(Duration max) throws InterruptedException {
        long start = generation;
        long deadline = System.nanoTime() + max.toNanos();
        while (generation == start) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }
}
