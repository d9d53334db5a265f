package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workers on the store: every job run once, retries and dead letters, timeouts, fencing of late results, graceful close, two workers sharing, pruning, waking, settings. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class WorkerConformance extends JobStoreConformance {

    protected WorkerConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    @Test
    void aWorkerRunsEveryJobOnceAndDrains() throws Exception {
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<Long> completedEvents = new CopyOnWriteArrayList<>();
        JobQueue queue = queue().handler("count", job -> runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet())
                .listener(new JobListener() {
                    @Override
                    public void completed(long id, String kind) {
                        completedEvents.add(id);
                    }
                }).build();
        queue.enqueueAll(IntStream.range(0, 300).mapToObj(i -> NewJob.of("count", "{\"i\": " + i + "}")).toList());
        Worker.Counts counts;
        try (Worker worker = queue.worker(fast())) {
            counts = worker.runUntilDrained();
        }
        assertThat(counts.completed()).isEqualTo(300);
        assertThat(runs).hasSize(300).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(completedEvents).hasSize(300).doesNotHaveDuplicates();
        assertThat(store.stats(now()).count(JobState.COMPLETED)).isEqualTo(300);
    }

    @Test
    void aThrowingHandlerIsRetriedThenDeadLetteredWithEveryError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<JobState> states = new CopyOnWriteArrayList<>();
        JobQueue queue = queue().handler("flaky", job -> {
            throw new IllegalArgumentException("attempt " + job.attempt() + " of " + calls.incrementAndGet());
        }).listener(new JobListener() {
            @Override
            public void failed(long id, String kind, JobError error, JobState newState) {
                states.add(newState);
            }
        }).build();
        long id = queue.enqueue(NewJob.of("flaky", "{}").withMaxAttempts(3)).id();
        try (Worker worker = queue.worker(fast())) {
            Worker.Counts counts = worker.runUntilDrained();
            assertThat(counts.failed()).isEqualTo(1);
            assertThat(counts.retried()).isEqualTo(2);
        }
        Job failed = job(id);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.errors()).extracting(JobError::message)
                .containsExactly("attempt 1 of 1", "attempt 2 of 2", "attempt 3 of 3");
        assertThat(failed.errors()).allSatisfy(e -> assertThat(e.exceptionClass()).isEqualTo(IllegalArgumentException.class.getName()));
        assertThat(states).containsExactly(JobState.PENDING, JobState.PENDING, JobState.FAILED);

        assertThat(queue.retryFailed(RetrySelection.kind("flaky"))).isEqualTo(1);
        assertThat(job(id).attempt()).isZero();
    }

    @Test
    void enqueueNamesTheKnownKindsWhenTheKindHasNoHandler() {
        JobQueue queue = queue().handler("enrich", job -> { }).handler("load", job -> { }).build();
        assertThatThrownBy(() -> queue.enqueue(NewJob.of("enrihc", "{}")))
                .isInstanceOfSatisfying(UnknownJobKindException.class, e -> {
                    assertThat(e.kind()).isEqualTo("enrihc");
                    assertThat(e.knownKinds()).containsExactly("enrich", "load");
                    assertThat(e.getMessage()).isEqualTo("unknown job kind 'enrihc'; the known kinds are: enrich, load."
                            + " Register a handler for it or fix the name");
                });
        assertThat(store.stats(now()).total()).isZero();
    }

    @Test
    void aHandlerPastTheJobTimeoutIsGivenUpAndItsLateResultIsFencedOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        execute("CREATE TABLE effects (job_id BIGINT)");
        JobQueue queue = queue().transactionalHandler("hang", (job, tx) -> {
            if (calls.incrementAndGet() == 1) {
                // ignores interruption, like a handler stuck in a native call
                while (true) {
                    try {
                        if (release.await(10, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        // keeps hanging
                    }
                }
            }
            insertEffect(tx, job.id());
        }).build();
        long id = queue.enqueue(NewJob.of("hang", "{}")).id();
        WorkerConfig config = fast().withLease(Duration.ofSeconds(30)).withHeartbeatInterval(Duration.ofMillis(50))
                .withJobTimeout(Duration.ofMillis(300));
        try (Worker worker = queue.worker(config)) {
            worker.runUntilDrained();
            assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);
            assertThat(job(id).errors()).extracting(JobError::exceptionClass).containsExactly(JobTimeoutException.class.getName());
        }
        release.countDown();
        // the first run returns now; its completion is fenced out and its effect rolled back
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (calls.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(queryLong("SELECT count(*) FROM effects")).isEqualTo(1);
        assertThat(job(id).attempt()).isEqualTo(2);
    }

    @Test
    void aHandlerThatReturnsAfterItsLeaseWasRescuedIsFencedOut() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        List<Lease> fenced = new CopyOnWriteArrayList<>();
        JobQueue queue = queue().handler("slow", job -> {
            if (job.attempt() == 1) {
                running.countDown();
                resume.await();
            }
        }).listener(new JobListener() {
            @Override
            public void fencedOut(Lease lease) {
                fenced.add(lease);
            }
        }).build();
        long id = queue.enqueue(NewJob.of("slow", "{}")).id();
        // heartbeats far apart: the worker looks dead to the others once the clock passes its lease
        WorkerConfig config = fast().withLease(Duration.ofMinutes(10)).withHeartbeatInterval(Duration.ofMinutes(5));
        try (Worker stale = queue.worker(config).start()) {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            Lease staleLease = job(id).lease();
            clock.advance(Duration.ofMinutes(11));
            assertThat(queue.rescueExpired()).containsExactly(id);
            // the worker itself takes the rescued job again (attempt 2) and completes it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (job(id).state() != JobState.COMPLETED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);

            resume.countDown();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fenced.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fenced).containsExactly(staleLease);
            assertThat(stale.counts().fencedOut()).isEqualTo(1);
            assertThat(stale.counts().completed()).isEqualTo(1);
        }
        Job done = job(id);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.errors()).extracting(JobError::message).containsExactly(JobError.LEASE_EXPIRED);
    }

    @Test
    void closingAWorkerReleasesRunningJobsWithoutSpendingAnAttempt() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        JobQueue queue = queue().handler("slow", job -> {
            started.countDown();
            never.await();
        }).build();
        long first = queue.enqueue(NewJob.of("slow", "{}")).id();
        long second = queue.enqueue(NewJob.of("slow", "{}")).id();
        Worker worker = queue.worker(fast().withThreads(2).withShutdownGrace(Duration.ofMillis(100))).start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        worker.close();
        assertThat(worker.running()).isFalse();
        for (long id : List.of(first, second)) {
            assertThat(job(id).state()).isEqualTo(JobState.PENDING);
            assertThat(job(id).attempt()).isZero();
        }
    }

    @Test
    void twoWorkersShareTheQueueWithoutRunningAJobTwice() throws Exception {
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobQueue queue = queue().handler("count", job -> runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet())
                .build();
        queue.enqueueAll(IntStream.range(0, 400).mapToObj(i -> NewJob.of("count", "{}")).toList());
        Worker one = queue.worker(fast().withBatchSize(10));
        Worker two = queue.worker(fast().withBatchSize(10));
        one.start();
        two.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.stats(now()).count(JobState.COMPLETED) < 400 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        one.close();
        two.close();
        assertThat(runs).hasSize(400).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(one.counts().completed() + two.counts().completed()).isEqualTo(400);
    }

    @Test
    void aWorkerPrunesFinishedJobsPastTheRetention() throws Exception {
        JobQueue queue = queue().handler("noop", job -> { }).build();
        long old = queue.enqueue(NewJob.of("noop", "{}")).id();
        try (Worker worker = queue.worker(fast())) {
            worker.runUntilDrained();
        }
        clock.advance(Duration.ofHours(2));
        long recent = queue.enqueue(NewJob.of("noop", "{}")).id();
        try (Worker worker = queue.worker(fast().withRetention(Duration.ofHours(1)))) {
            worker.runUntilDrained();
        }
        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(recent)).isPresent();
        try (Worker keepsAll = queue.worker(fast().withRetention(null))) {
            clock.advance(Duration.ofDays(365));
            keepsAll.runUntilDrained();
        }
        assertThat(store.find(recent)).isPresent();
    }

    @Test
    void anIdleWorkerWakesOnEnqueue() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        JobQueue queue = queue().handler("ping", job -> done.countDown()).build();
        try (Worker worker = queue.worker(fast().withPollInterval(Duration.ofSeconds(5))
                .withHeartbeatInterval(Duration.ofSeconds(5)).withLease(Duration.ofSeconds(30))).start()) {
            Thread.sleep(200);
            assertThat(worker.running()).as("idle, waiting").isTrue();
            long start = System.nanoTime();
            queue.enqueue(NewJob.of("ping", "{}"));
            assertThat(done.await(4, TimeUnit.SECONDS)).as("woken before the 5 s poll").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void badWorkerSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> WorkerConfig.defaults().withBatchSize(0))
                .hasMessage("batch_size must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> WorkerConfig.defaults().withBatchSize(-5))
                .hasMessage("batch_size must be between 1 and 100000, got -5");
        assertThatThrownBy(() -> WorkerConfig.defaults().withThreads(0)).hasMessage("threads must be between 1 and 1024, got 0");
        assertThatThrownBy(() -> WorkerConfig.defaults().withHeartbeatInterval(Duration.ofMinutes(1)))
                .hasMessage("the heartbeat interval (PT1M) must be shorter than the lease (PT30S)");
        assertThatThrownBy(() -> queue().build().worker(WorkerConfig.defaults()))
                .hasMessageContaining("a worker needs at least one handler");
    }
}
