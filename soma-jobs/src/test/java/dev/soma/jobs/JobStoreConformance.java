package dev.soma.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every {@link JobStore} must do, run against each store (the JDBC TCK idea), split by behaviour into
 * abstract classes that extend this one: {@link EnqueueConformance}, {@link ClaimConformance},
 * {@link CompletionConformance}, {@link LeaseConformance}, {@link AdministrationConformance},
 * {@link QueryConformance}, {@link StateMachineConformance}, {@link EffectConformance} and
 * {@link WorkerConformance}. Each store's test class ({@code DuckDbJobStoreTest}, {@code PostgresJobStoreTest})
 * runs every one of them as a {@code @Nested} class on its store; store-specific tests live beside them.
 *
 * <p>This class holds what the groups share: a fresh store per test on empty tables, a clock the test moves,
 * and small helpers.
 */
abstract class JobStoreConformance {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final String A = "worker-a";
    static final String B = "worker-b";

    protected final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    protected JobStore store;
    private final Supplier<StoreUnderTest> stores;
    private StoreUnderTest underTest;

    /** @param stores opens a new store on empty tables, once per test */
    protected JobStoreConformance(Supplier<StoreUnderTest> stores) {
        this.stores = stores;
    }

    @BeforeEach
    void openStore() {
        underTest = stores.get();
        store = underTest.store();
    }

    @AfterEach
    void closeStore() {
        underTest.close();
    }

    /** The store and its database, for store-specific tests. */
    protected StoreUnderTest underTest() {
        return underTest;
    }

    /** Runs a query returning one number on the store's own database. */
    protected long queryLong(String sql) {
        return underTest.queryLong(sql);
    }

    /** Runs a statement on the store's own database. */
    protected void execute(String sql) {
        underTest.execute(sql);
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

    /** Claims and fails a new job of {@code kind} that has one attempt: a dead letter. */
    long deadLetter(String kind) {
        long id = enqueue(NewJob.of(kind, "{}").withMaxAttempts(1));
        Job claimed = store.claim(A, 1, Set.of(kind), now(), LEASE).get(0);
        org.assertj.core.api.Assertions.assertThat(claimed.id()).isEqualTo(id);
        store.fail(claimed.lease(), new JobError(1, "boom", null, now()), now());
        return id;
    }

    /** Records {@code id} in the table {@code effects}, in the handler's transaction. */
    static void insertEffect(TransactionContext tx, long id) throws java.sql.SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("INSERT INTO effects VALUES (" + id + ")");
        }
    }

    /** A queue on the store with the test's clock and no backoff. */
    JobQueue.Builder queue() {
        return JobQueue.builder().store(store).clock(clock).backoff(Backoff.fixed(Duration.ZERO));
    }

    /** A worker that polls often, in batches of 25 on 4 threads. */
    static WorkerConfig fast() {
        return WorkerConfig.defaults().withThreads(4).withBatchSize(25).withPollInterval(Duration.ofMillis(20))
                .withLease(Duration.ofSeconds(30)).withShutdownGrace(Duration.ofSeconds(5));
    }
}
