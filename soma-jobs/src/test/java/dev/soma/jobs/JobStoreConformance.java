package dev.soma.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link JobStore} must do, run against each store by a subclass (the JDBC TCK idea): the
 * DuckDB store and the PostgreSQL store pass this same class. Store-specific tests live beside it.
 */
abstract class JobStoreConformance {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final String A = "worker-a";
    static final String B = "worker-b";

    protected final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    protected JobStore store;

    /** A new store on empty tables. */
    protected abstract JobStore newStore();

    /** Runs a query returning one number on the store's own database. */
    protected abstract long queryLong(String sql);

    /** Runs a statement on the store's own database. */
    protected abstract void execute(String sql);

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    Instant now() {
        return clock.instant();
    }

    long enqueue(NewJob job) {
        return store.enqueue(List.of(job), now()).get(0).id();
    }

    List<Job> claim(String owner, int limit) {
        return store.claim(owner, limit, Set.of(), now(), LEASE);
    }

    Job job(long id) {
        return store.find(id).orElseThrow();
    }

    // ------------------------------------------------------------------ enqueue

    @Test
    void anEnqueuedJobIsPendingWithEverythingItWasGiven() {
        Instant later = now().plusSeconds(60);
        long id = enqueue(NewJob.of("enrich", "{\"isbn\": \"9780141439518\", \"n\": [1, 2.5e3, null]}")
                .withPriority(3).withRunAt(later).withMaxAttempts(7).withUniqueKey("isbn:9780141439518"));

        Job job = job(id);
        assertThat(job.kind()).isEqualTo("enrich");
        assertThat(job.payload()).isEqualTo("{\"isbn\": \"9780141439518\", \"n\": [1, 2.5e3, null]}");
        assertThat(job.priority()).isEqualTo(3);
        assertThat(job.runAt()).isEqualTo(later);
        assertThat(job.maxAttempts()).isEqualTo(7);
        assertThat(job.uniqueKey()).isEqualTo("isbn:9780141439518");
        assertThat(job.state()).isEqualTo(JobState.PENDING);
        assertThat(job.attempt()).isZero();
        assertThat(job.createdAt()).isEqualTo(now());
        assertThat(job.startedAt()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(job.errors()).isEmpty();
        assertThat(store.find(id + 1000)).isEmpty();
    }

    @Test
    void enqueueIsIdempotentOnTheUniqueKeyWhileItsHolderIsLiveOrCompleted() {
        EnqueueResult first = store.enqueue(List.of(NewJob.of("k", "{}").withUniqueKey("isbn:1")), now()).get(0);
        EnqueueResult again = store.enqueue(List.of(NewJob.of("k", "{\"other\": true}").withUniqueKey("isbn:1")), now()).get(0);
        assertThat(first.created()).isTrue();
        assertThat(again).isEqualTo(new EnqueueResult(first.id(), false));

        // within one batch too, and the unkeyed jobs around it are all new
        List<EnqueueResult> batch = store.enqueue(List.of(NewJob.of("k", "{}"), NewJob.of("k", "{}").withUniqueKey("isbn:2"),
                NewJob.of("k", "{}").withUniqueKey("isbn:2"), NewJob.of("k", "{}").withUniqueKey("isbn:1")), now());
        assertThat(batch.get(0).created()).isTrue();
        assertThat(batch.get(1).created()).isTrue();
        assertThat(batch.get(2)).isEqualTo(new EnqueueResult(batch.get(1).id(), false));
        assertThat(batch.get(3)).isEqualTo(new EnqueueResult(first.id(), false));

        // a completed holder still holds the key
        Job claimed = claim(A, 10).stream().filter(j -> j.id() == first.id()).findFirst().orElseThrow();
        assertThat(store.complete(List.of(claimed.lease()), now())).containsExactly(first.id());
        assertThat(store.enqueue(List.of(NewJob.of("k", "{}").withUniqueKey("isbn:1")), now()).get(0))
                .isEqualTo(new EnqueueResult(first.id(), false));
    }

    @Test
    void aFailedOrCancelledJobNoLongerHoldsItsKey() {
        long failed = enqueue(NewJob.of("k", "{}").withUniqueKey("key").withMaxAttempts(1));
        Job claimed = claim(A, 1).get(0);
        assertThat(store.fail(claimed.lease(), new JobError(1, "boom", null, now()), now())).contains(JobState.FAILED);
        EnqueueResult second = store.enqueue(List.of(NewJob.of("k", "{}").withUniqueKey("key")), now()).get(0);
        assertThat(second.created()).isTrue();
        assertThat(second.id()).isNotEqualTo(failed);

        assertThat(store.cancel(List.of(second.id()), now())).containsExactly(second.id());
        assertThat(store.enqueue(List.of(NewJob.of("k", "{}").withUniqueKey("key")), now()).get(0).created()).isTrue();
        // the failed job cannot come back while another job holds its key
        assertThat(store.retryFailed(RetrySelection.ids(List.of(failed)), now())).isZero();
        assertThat(job(failed).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedWithWhereItGoesWrong() {
        assertThatThrownBy(() -> NewJob.of("enrich", "{isbn: 978}"))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
                    assertThat(e.kind()).isEqualTo("enrich");
                    assertThat(e.problem()).isEqualTo("expected a quoted key at character 2");
                    assertThat(e.getMessage()).startsWith("the payload of a enrich job is not JSON: expected a quoted key at character 2");
                });
        for (String bad : List.of("", "   ", "{", "[1,]", "{\"a\":1}x", "'x'", "01", "tru", "\"\\q\"", "{\"a\" 1}", "1.", "-")) {
            assertThatThrownBy(() -> NewJob.of("k", bad)).as(bad).isInstanceOf(InvalidPayloadException.class);
        }
        for (String good : List.of("{}", "[]", "1", "-0.5E+3", "\"text \\u00e9\\n\"", "null", " {\"a\": [true, false, {}]} ")) {
            assertThat(NewJob.of("k", good).payload()).isEqualTo(good);
        }
    }

    // ------------------------------------------------------------------ claim

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

    // ------------------------------------------------------------------ complete, fail, fencing

    @Test
    void completingIsFencedOnIdAttemptAndOwner() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job claimed = claim(A, 1).get(0);
        assertThat(store.complete(List.of(new Lease(id, 1, B)), now())).isEmpty();
        assertThat(store.complete(List.of(new Lease(id, 2, A)), now())).isEmpty();
        assertThat(job(id).state()).isEqualTo(JobState.PROCESSING);

        clock.advance(Duration.ofSeconds(1));
        assertThat(store.complete(List.of(claimed.lease()), now())).containsExactly(id);
        Job done = job(id);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(now());
        assertThat(store.complete(List.of(claimed.lease()), now())).as("completing twice").isEmpty();
    }

    @Test
    void aFailureRetriesAtTheGivenTimeUntilMaxAttemptsThenDeadLetters() {
        long id = enqueue(NewJob.of("k", "{}").withMaxAttempts(3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job claimed = claim(A, 1).get(0);
            assertThat(claimed.attempt()).isEqualTo(attempt);
            Instant retryAt = now().plusSeconds(attempt * 10L);
            Optional<JobState> state = store.fail(claimed.lease(),
                    new JobError(attempt, "boom " + attempt, IllegalStateException.class.getName(), now()), retryAt);
            if (attempt < 3) {
                assertThat(state).contains(JobState.PENDING);
                assertThat(job(id).runAt()).isEqualTo(retryAt);
                assertThat(claim(A, 1)).as("not due before its backoff").isEmpty();
                clock.advance(Duration.ofSeconds(attempt * 10L));
            } else {
                assertThat(state).contains(JobState.FAILED);
            }
        }
        Job failed = job(id);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.finishedAt()).isEqualTo(now());
        assertThat(failed.errorCount()).isEqualTo(3);
        assertThat(failed.errors()).extracting(JobError::attempt, JobError::message, JobError::exceptionClass)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "boom 1", IllegalStateException.class.getName()),
                        org.assertj.core.groups.Tuple.tuple(2, "boom 2", IllegalStateException.class.getName()),
                        org.assertj.core.groups.Tuple.tuple(3, "boom 3", IllegalStateException.class.getName()));
    }

    @Test
    void anExpiredLeaseIsRescuedAndTheStaleWorkerIsFencedOut() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job first = claim(A, 1).get(0);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.rescueExpired(now())).as("not yet expired").isEmpty();
        assertThat(store.heartbeat(List.of(first.lease()), now(), LEASE)).isEqualTo(1);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.rescueExpired(now())).as("the heartbeat extended it").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.rescueExpired(now())).containsExactly(id);

        Job rescued = job(id);
        assertThat(rescued.state()).isEqualTo(JobState.PENDING);
        assertThat(rescued.errors()).extracting(JobError::message, JobError::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobError.LEASE_EXPIRED, 1));
        assertThat(store.stats(now()).rescued()).isEqualTo(1);

        Job second = claim(B, 1).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        // the first worker comes back: none of its writes land
        assertThat(store.complete(List.of(first.lease()), now())).isEmpty();
        assertThat(store.fail(first.lease(), new JobError(1, "late", null, now()), now())).isEmpty();
        assertThat(store.heartbeat(List.of(first.lease()), now(), LEASE)).isZero();
        assertThat(store.release(List.of(first.lease()), now())).isZero();
        assertThat(store.complete(List.of(second.lease()), now())).containsExactly(id);
        assertThat(job(id).errors()).hasSize(1);
    }

    @Test
    void aRescueOnTheLastAttemptDeadLetters() {
        long id = enqueue(NewJob.of("k", "{}").withMaxAttempts(1));
        claim(A, 1);
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.rescueExpired(now())).containsExactly(id);
        assertThat(job(id).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aReleaseGivesTheJobBackWithoutSpendingAnAttempt() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job claimed = claim(A, 1).get(0);
        assertThat(store.release(List.of(claimed.lease()), now())).isEqualTo(1);
        Job released = job(id);
        assertThat(released.state()).isEqualTo(JobState.PENDING);
        assertThat(released.attempt()).isZero();
        assertThat(claim(B, 1).get(0).attempt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ retry-failed, cancel, prune

    @Test
    void retryFailedByAllKindOrIdResetsAttempts() {
        long a1 = deadLetter("a");
        long a2 = deadLetter("a");
        long b1 = deadLetter("b");
        assertThat(store.retryFailed(RetrySelection.ids(List.of(a2)), now())).isEqualTo(1);
        assertThat(job(a2).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a2).attempt()).isZero();
        assertThat(job(a2).finishedAt()).isNull();
        assertThat(store.retryFailed(RetrySelection.kind("b"), now())).isEqualTo(1);
        assertThat(job(b1).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a1).state()).isEqualTo(JobState.FAILED);
        assertThat(store.retryFailed(RetrySelection.all(), now())).isEqualTo(1);
        assertThat(job(a1).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a1).errors()).as("the history stays").hasSize(1);
    }

    private long deadLetter(String kind) {
        long id = enqueue(NewJob.of(kind, "{}").withMaxAttempts(1));
        Job claimed = store.claim(A, 1, Set.of(kind), now(), LEASE).get(0);
        assertThat(claimed.id()).isEqualTo(id);
        store.fail(claimed.lease(), new JobError(1, "boom", null, now()), now());
        return id;
    }

    @Test
    void cancelStopsOnlyPendingJobs() {
        long pending = enqueue(NewJob.of("k", "{}"));
        long running = enqueue(NewJob.of("k", "{}").withPriority(-1));
        claim(A, 1);
        assertThat(store.cancel(List.of(pending, running, 999_999L), now())).containsExactly(pending);
        assertThat(job(pending).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job(pending).finishedAt()).isEqualTo(now());
        assertThat(job(running).state()).isEqualTo(JobState.PROCESSING);
        assertThat(claim(B, 10)).isEmpty();
    }

    @Test
    void pruneDeletesFinishedJobsOlderThanTheCutoffWithTheirErrors() {
        long oldDone = enqueue(NewJob.of("k", "{}"));
        store.complete(List.of(claim(A, 1).get(0).lease()), now());
        long oldFailed = deadLetter("k");
        clock.advance(Duration.ofDays(2));
        long newDone = enqueue(NewJob.of("k", "{}"));
        store.complete(List.of(claim(A, 1).get(0).lease()), now());
        long pending = enqueue(NewJob.of("k", "{}").withRunAt(now().plusSeconds(3600)));

        assertThat(store.prune(now().minus(Duration.ofDays(1)))).isEqualTo(2);
        assertThat(store.find(oldDone)).isEmpty();
        assertThat(store.find(oldFailed)).isEmpty();
        assertThat(store.find(newDone)).isPresent();
        assertThat(store.find(pending)).isPresent();
        assertThat(queryLong("SELECT count(*) FROM soma_meta.job_errors")).isZero();
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listingPagesNewestFirstAndFilters() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(enqueue(NewJob.of(i % 2 == 0 ? "even" : "odd", "{}")));
        }
        JobPage first = store.list(JobQuery.all().withLimit(2));
        assertThat(first.jobs()).extracting(Job::id).containsExactly(ids.get(4), ids.get(3));
        JobPage second = store.list(JobQuery.all().withLimit(2).withBeforeId(first.nextBeforeId()));
        assertThat(second.jobs()).extracting(Job::id).containsExactly(ids.get(2), ids.get(1));
        JobPage last = store.list(JobQuery.all().withLimit(2).withBeforeId(second.nextBeforeId()));
        assertThat(last.jobs()).extracting(Job::id).containsExactly(ids.get(0));
        assertThat(last.nextBeforeId()).isNull();

        assertThat(store.list(JobQuery.all().withKind("odd")).jobs()).extracting(Job::id).containsExactly(ids.get(3), ids.get(1));
        claim(A, 1);
        assertThat(store.list(JobQuery.all().withState(JobState.PROCESSING)).jobs()).extracting(Job::id).containsExactly(ids.get(0));
    }

    @Test
    void statsCountByStateAndKind() {
        enqueue(NewJob.of("a", "{}").withRunAt(now().minusSeconds(90)));
        enqueue(NewJob.of("a", "{}"));
        enqueue(NewJob.of("b", "{}"));
        store.complete(List.of(store.claim(A, 1, Set.of("b"), now(), LEASE).get(0).lease()), now());
        QueueStats stats = store.stats(now());
        assertThat(stats.count(JobState.PENDING)).isEqualTo(2);
        assertThat(stats.count(JobState.COMPLETED)).isEqualTo(1);
        assertThat(stats.count(JobState.FAILED)).isZero();
        assertThat(stats.total()).isEqualTo(3);
        assertThat(stats.byKindAndState()).containsEntry("a", Map.of(JobState.PENDING, 2L))
                .containsEntry("b", Map.of(JobState.COMPLETED, 1L));
        assertThat(stats.oldestDue()).isEqualTo(Duration.ofSeconds(90));
    }

    // ------------------------------------------------------------------ the state machine, walked

    /**
     * Every store operation tried on a job in every state: it moves the job exactly when the transition table
     * has a move from that state, and leaves it alone (zero rows) otherwise.
     */
    @Test
    void everyOperationMovesAJobOnlyFromTheStateTheTableAllows() {
        Map<JobTransition, Function<Job, Boolean>> operations = Map.of(
                JobTransition.CLAIM, job -> store.claim("walker", 100, Set.of(job.kind()), now(), LEASE).stream()
                        .anyMatch(j -> j.id() == job.id()),
                JobTransition.COMPLETE, job -> !store.complete(List.of(new Lease(job.id(), job.attempt(), A)), now()).isEmpty(),
                JobTransition.FAIL, job -> store.fail(new Lease(job.id(), job.attempt(), A),
                        new JobError(job.attempt(), "x", null, now()), now()).isPresent(),
                JobTransition.RESCUE, job -> {
                    clock.advance(LEASE.plusSeconds(1));
                    return store.rescueExpired(now()).contains(job.id());
                },
                JobTransition.RELEASE, job -> store.release(List.of(new Lease(job.id(), job.attempt(), A)), now()) == 1,
                JobTransition.RETRY_FAILED, job -> store.retryFailed(RetrySelection.ids(List.of(job.id())), now()) == 1,
                JobTransition.CANCEL, job -> store.cancel(List.of(job.id()), now()).contains(job.id()));
        assertThat(operations.keySet()).containsExactlyInAnyOrder(JobTransition.values());

        int kind = 0;
        for (JobState from : JobState.values()) {
            for (JobTransition transition : JobTransition.values()) {
                String k = "walk" + kind++;
                Job job = jobIn(from, k);
                assertThat(job.state()).isEqualTo(from);
                boolean moved = operations.get(transition).apply(job);
                JobState after = job(job.id()).state();
                String what = transition + " on a " + from.dbName() + " job";
                if (transition.from() == from) {
                    assertThat(moved).as(what).isTrue();
                    assertThat(transition.targets()).as(what).contains(after);
                    assertThat(from.canMoveTo(after)).as(what).isTrue();
                } else {
                    assertThat(moved).as(what).isFalse();
                    assertThat(after).as(what).isEqualTo(from);
                }
            }
        }
    }

    /** A job of a fresh kind, brought to {@code state} by the store's own moves, owned by {@link #A} when running. */
    private Job jobIn(JobState state, String kind) {
        long id = enqueue(NewJob.of(kind, "{}").withMaxAttempts(1));
        if (state == JobState.PENDING) {
            return job(id);
        }
        if (state == JobState.CANCELLED) {
            store.cancel(List.of(id), now());
            return job(id);
        }
        Job claimed = store.claim(A, 1, Set.of(kind), now(), LEASE).get(0);
        switch (state) {
            case COMPLETED -> store.complete(List.of(claimed.lease()), now());
            case FAILED -> store.fail(claimed.lease(), new JobError(1, "x", null, now()), now());
            default -> { }
        }
        return job(id);
    }

    @Test
    void theTransitionTableAndCanMoveToAgreeForEveryPair() {
        for (JobState from : JobState.values()) {
            for (JobState to : JobState.values()) {
                boolean listed = false;
                for (JobTransition transition : JobTransition.values()) {
                    listed |= transition.from() == from && transition.targets().contains(to);
                }
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(listed);
            }
        }
        assertThat(JobState.COMPLETED.canMoveTo(JobState.PENDING)).isFalse();
        assertThat(JobState.CANCELLED.canMoveTo(JobState.PENDING)).isFalse();
        assertThat(JobState.PROCESSING.canMoveTo(JobState.CANCELLED)).isFalse();
        assertThat(JobState.FAILED.canMoveTo(JobState.PENDING)).isTrue();
    }

    // ------------------------------------------------------------------ transactional completion

    @Test
    void aTransactionalEffectCommitsWithTheCompletionAndRollsBackWhenFencedOut() throws Exception {
        execute("CREATE TABLE effects (job_id BIGINT)");
        long id = enqueue(NewJob.of("k", "{}"));
        Job first = claim(A, 1).get(0);
        clock.advance(LEASE.plusSeconds(1));
        store.rescueExpired(now());
        Job second = claim(B, 1).get(0);

        boolean stale = store.completeWith(first.lease(), now(), tx -> insertEffect(tx, id));
        assertThat(stale).isFalse();
        assertThat(queryLong("SELECT count(*) FROM effects")).as("the stale effect rolled back").isZero();

        assertThatThrownBy(() -> store.completeWith(second.lease(), now(), tx -> {
            insertEffect(tx, id);
            throw new IllegalStateException("half way");
        })).hasMessage("half way");
        assertThat(queryLong("SELECT count(*) FROM effects")).isZero();
        assertThat(job(id).state()).isEqualTo(JobState.PROCESSING);

        assertThat(store.completeWith(second.lease(), now(), tx -> insertEffect(tx, id))).isTrue();
        assertThat(queryLong("SELECT count(*) FROM effects")).isEqualTo(1);
        assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aBatchEffectSeesOnlyTheJobsWhoseFenceHoldsAndCommitsWithTheirCompletion() throws Exception {
        execute("CREATE TABLE effects (job_id BIGINT)");
        List<Long> ids = IntStream.range(0, 4).mapToObj(i -> enqueue(NewJob.of("k", "{}"))).toList();
        List<Job> claimed = claim(A, 4);
        // the last job's lease expires and worker B takes it: A's write for it must be left out
        Job lost = claimed.get(3);
        execute("UPDATE soma_meta.jobs SET lease_expires_at = TIMESTAMP '2000-01-01 00:00:00' WHERE id = " + lost.id());
        store.rescueExpired(now());
        Job taken = claim(B, 1).get(0);
        assertThat(taken.id()).isEqualTo(lost.id());

        List<Long> seen = new ArrayList<>();
        List<Long> done = store.completeWith(claimed.stream().map(Job::lease).toList(), now(), (held, tx) -> {
            seen.addAll(held);
            for (long id : held) {
                insertEffect(tx, id);
            }
        });
        assertThat(done).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(seen).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(queryLong("SELECT count(*) FROM effects")).isEqualTo(3);
        assertThat(ids.subList(0, 3)).allSatisfy(id -> assertThat(job(id).state()).isEqualTo(JobState.COMPLETED));
        assertThat(job(lost.id()).state()).isEqualTo(JobState.PROCESSING);
        assertThat(job(lost.id()).owner()).isEqualTo(B);
    }

    @Test
    void aBatchEffectThatThrowsCompletesAndWritesNothingOfTheBatch() throws Exception {
        execute("CREATE TABLE effects (job_id BIGINT)");
        for (int i = 0; i < 3; i++) {
            enqueue(NewJob.of("k", "{}"));
        }
        List<Job> claimed = claim(A, 3);
        assertThatThrownBy(() -> store.completeWith(claimed.stream().map(Job::lease).toList(), now(), (held, tx) -> {
            insertEffect(tx, held.get(0));
            throw new IllegalStateException("the second book is bad");
        })).hasMessage("the second book is bad");
        assertThat(queryLong("SELECT count(*) FROM effects")).isZero();
        assertThat(claimed).allSatisfy(j -> assertThat(job(j.id()).state()).isEqualTo(JobState.PROCESSING));
    }

    @Test
    void aWorkerWritesBatchesOnceAndABadJobFailsAloneWithItsError() throws Exception {
        execute("CREATE TABLE effects (job_id BIGINT, payload VARCHAR)");
        AtomicInteger largest = new AtomicInteger();
        JobQueue queue = queue().batchHandler("load", new BatchJobHandler<String>() {
            @Override
            public String prepare(JobContext job) {
                if (job.payload().contains("unreachable")) {
                    throw new IllegalStateException("service down for " + job.payload());
                }
                return job.payload().replace("\"", "");
            }

            @Override
            public void write(List<Prepared<String>> jobs, TransactionContext tx) throws Exception {
                largest.accumulateAndGet(jobs.size(), Math::max);
                for (Prepared<String> p : jobs) {
                    if (p.result().equals("poison")) {
                        throw new IllegalArgumentException("cannot load " + p.result());
                    }
                    try (var statement = tx.connection().createStatement()) {
                        statement.execute("INSERT INTO effects VALUES (" + p.job().id() + ", '" + p.result() + "')");
                    }
                }
            }
        }).build();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String payload = i == 17 ? "poison" : i == 33 ? "unreachable" : "book" + i;
            ids.add(queue.enqueue(NewJob.of("load", "\"" + payload + "\"").withMaxAttempts(1)).id());
        }
        Worker.Counts counts;
        try (Worker worker = queue.worker(fast().withBatchSize(30))) {
            counts = worker.runUntilDrained();
        }
        assertThat(counts.completed()).isEqualTo(58);
        assertThat(counts.failed()).isEqualTo(2);
        assertThat(queryLong("SELECT count(*) FROM effects")).isEqualTo(58);
        assertThat(queryLong("SELECT count(DISTINCT job_id) FROM effects")).isEqualTo(58);
        assertThat(job(ids.get(17)).state()).isEqualTo(JobState.FAILED);
        assertThat(job(ids.get(17)).errors()).extracting(JobError::message).containsExactly("cannot load poison");
        assertThat(job(ids.get(33)).errors()).extracting(JobError::message).containsExactly("service down for \"unreachable\"");
        // written in batches: the batch the poison broke was written again one job at a time
        assertThat(largest.get()).isGreaterThan(1);
    }

    static void insertEffect(TransactionContext tx, long id) throws java.sql.SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("INSERT INTO effects VALUES (" + id + ")");
        }
    }

    // ------------------------------------------------------------------ workers on this store

    JobQueue.Builder queue() {
        return JobQueue.builder().store(store).clock(clock).backoff(Backoff.fixed(Duration.ZERO));
    }

    static WorkerConfig fast() {
        return WorkerConfig.defaults().withThreads(4).withBatchSize(25).withPollInterval(Duration.ofMillis(20))
                .withLease(Duration.ofSeconds(30)).withShutdownGrace(Duration.ofSeconds(5));
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
