package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class ReadSessionsTest {

    @Test
    void pagesBeyondTheConcurrentOnesWaitTheirTurnInArrivalOrder() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ReadSessions sessions = new ReadSessions(warehouse, 4, 1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread first = start(() -> sessions.readPrepared(session -> {
                order.add("first");
                holding.countDown();
                awaitQuietly(release);
                return null;
            }));
            holding.await();
            Thread second = start(() -> sessions.readPrepared(session -> order.add("second")));
            awaitParked(second);
            Thread third = start(() -> sessions.readPrepared(session -> order.add("third")));
            awaitParked(third);

            assertThat(order).containsExactly("first");
            release.countDown();
            for (Thread thread : List.of(first, second, third)) {
                thread.join(30_000);
            }
            assertThat(order).containsExactly("first", "second", "third");
            sessions.close();
        }
    }

    @Test
    void smallReadsDoNotWaitForPagesHoldingEveryTurn() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ReadSessions sessions = new ReadSessions(warehouse, 4, 1);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread page = start(() -> sessions.readPrepared(session -> {
                holding.countDown();
                awaitQuietly(release);
                return null;
            }));
            holding.await();
            // what /health reads, while the only turn is taken
            java.util.concurrent.atomic.AtomicLong answer = new java.util.concurrent.atomic.AtomicLong();
            Thread health = start(() -> answer.set(sessions.read(session ->
                    session.queryLong(dev.soma.core.warehouse.SqlOwner.soma("t"), "SELECT 42"))));
            try {
                health.join(30_000);
                assertThat(health.isAlive()).as("the small read waited for the page's turn").isFalse();
                assertThat(answer.get()).isEqualTo(42);
                assertThat(page.isAlive()).isTrue();
            } finally {
                release.countDown();
            }
            page.join(30_000);
            health.join(30_000);
            sessions.close();
        }
    }

    @Test
    void asManyAsAllowedWorkAtOnce() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ReadSessions sessions = new ReadSessions(warehouse, 4, 2);
            CountDownLatch bothIn = new CountDownLatch(2);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                // Each waits for the other inside: with one turn only, this would never finish.
                threads.add(start(() -> sessions.readPrepared(session -> {
                    bothIn.countDown();
                    awaitQuietly(bothIn);
                    return session.session().queryLong(dev.soma.core.warehouse.SqlOwner.soma("t"), "SELECT 1");
                })));
            }
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).isFalse();
            }
            assertThat(bothIn.getCount()).isZero();
            sessions.close();
        }
    }

    private static Thread start(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    /** Waits until {@code thread} is blocked waiting for its turn. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        for (int i = 0; i < 3000 && thread.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(10);
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
