package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims: due jobs in priority, run_at, id order; a lease and an attempt each; limited to kinds; never one job to two claimers. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class ClaimConformance extends JobStoreConformance {

    protected ClaimConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    @Test
    void aClaimTakesDueJobsByPriorityThenRunAtThenId() {
        long late = enqueue(NewJob.of("k", "{}").withRunAt(now().minusSeconds(10)));
        long early = enqueue(NewJob.of("k", "{}").withRunAt(now().minusSeconds(20)));
        long urgent = enqueue(NewJob.of("k", "{}").withPriority(-1));
        long future = enqueue(NewJob.of("k", "{}").withRunAt(now().plusSeconds(5)));
        long sameTime1 = enqueue(NewJob.of("k", "{}").withRunAt(now().minusSeconds(10)));

        List<Job> first = claim(A, 3);
        assertThat(first).extracting(Job::id).containsExactly(urgent, early, late);
        assertThat(claim(A, 10)).extracting(Job::id).containsExactly(sameTime1);
        assertThat(claim(A, 10)).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(claim(A, 10)).extracting(Job::id).containsExactly(future);
    }

    @Test
    void aClaimLeasesTheJobAndCountsTheAttempt() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job claimed = claim(A, 1).get(0);
        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.state()).isEqualTo(JobState.PROCESSING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.owner()).isEqualTo(A);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(now().plus(LEASE));
        assertThat(claimed.startedAt()).isEqualTo(now());
        assertThat(claimed.lease()).isEqualTo(new Lease(id, 1, A));
        assertThat(claim(B, 1)).as("a claimed job is not claimed again").isEmpty();
    }

    @Test
    void aClaimCanBeLimitedToKinds() {
        long a = enqueue(NewJob.of("a", "{}"));
        long b = enqueue(NewJob.of("b", "{}"));
        enqueue(NewJob.of("c", "{}"));
        assertThat(store.claim(A, 10, Set.of("b", "a"), now(), LEASE)).extracting(Job::id).containsExactly(a, b);
    }

    @Test
    void concurrentClaimersNeverTakeTheSameJob() throws Exception {
        List<NewJob> jobs = IntStream.range(0, 400).mapToObj(i -> NewJob.of("k", "{\"i\": " + i + "}")).toList();
        store.enqueue(jobs, now());
        Map<Long, String> owners = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String owner = "claimer-" + t;
            threads.add(new Thread(() -> {
                List<Job> got;
                while (!(got = store.claim(owner, 7, Set.of(), now(), LEASE)).isEmpty()) {
                    for (Job job : got) {
                        if (owners.putIfAbsent(job.id(), owner) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(duplicates.get()).isZero();
        assertThat(owners).hasSize(400);
    }
}
