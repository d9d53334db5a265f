package dev.soma.jobs;

import dev.soma.core.error.DatabaseLockedException;
import dev.soma.core.warehouse.LockHolder;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conformance suite on the DuckDB store (in-memory warehouse), every group, plus what only DuckDB does. */
class DuckDbJobStoreTest {

    /** A DuckDB store on a new in-memory warehouse, closed with it. */
    static StoreUnderTest inMemory() {
        Warehouse warehouse = Warehouse.inMemory();
        JobStore store = JobStores.duckdb(warehouse);
        return new OnWarehouse(store, warehouse);
    }

    record OnWarehouse(JobStore store, Warehouse warehouse) implements StoreUnderTest {

        @Override
        public long queryLong(String sql) {
            return warehouse.queryLong(SqlOwner.soma("test"), sql);
        }

        @Override
        public void execute(String sql) {
            warehouse.execute(SqlOwner.soma("test"), sql);
        }

        @Override
        public void close() {
            try {
                store.close();
            } finally {
                warehouse.close();
            }
        }
    }

    // ------------------------------------------------------------------ the conformance suite, every group

    @Nested
    class Enqueueing extends EnqueueConformance {
        Enqueueing() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class Claiming extends ClaimConformance {
        Claiming() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class Completing extends CompletionConformance {
        Completing() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class Leasing extends LeaseConformance {
        Leasing() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class Administering extends AdministrationConformance {
        Administering() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class Querying extends QueryConformance {
        Querying() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class WalkingTheStateMachine extends StateMachineConformance {
        WalkingTheStateMachine() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class CommittingEffects extends EffectConformance {
        CommittingEffects() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    @Nested
    class RunningWorkers extends WorkerConformance {
        RunningWorkers() {
            super(DuckDbJobStoreTest::inMemory);
        }
    }

    // ------------------------------------------------------------------ only DuckDB

    @Nested
    class DuckDbOnly extends JobStoreConformance {

        private Warehouse warehouse;

        DuckDbOnly() {
            super(DuckDbJobStoreTest::inMemory);
        }

        @org.junit.jupiter.api.BeforeEach
        void warehouse() {
            warehouse = ((OnWarehouse) underTest()).warehouse();
        }

        @Test
        void theTablesLiveInSomaMeta() {
            assertThat(warehouse.relationExists("soma_meta", "jobs")).isTrue();
            assertThat(warehouse.relationExists("soma_meta", "job_errors")).isTrue();
        }

        @Test
        void aTransactionIsOnTheWarehouseTheStoreWasOpenedOnAndNoOther() throws Exception {
            long id = enqueue(NewJob.of("k", "{}"));
            Job job = claim("A", 1).get(0);
            List<Boolean> seen = new java.util.ArrayList<>();
            try (Warehouse other = Warehouse.inMemory()) {
                store.completeWith(job.lease(), now(), tx -> {
                    seen.add(tx.isOn(warehouse));
                    seen.add(tx.isOn(other));
                    seen.add(tx.isOn(null));
                });
            }
            assertThat(seen).containsExactly(true, false, false);
            assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);
        }

        @Test
        void aTransactionalHandlerWritesThroughTheWarehouseSessionInTheSameTransaction() throws Exception {
            execute("CREATE SCHEMA raw; CREATE TABLE raw.books (isbn VARCHAR)");
            JobQueue queue = queue().transactionalHandler("load", (job, tx) ->
                    tx.session().append(SqlOwner.loader("books"), "raw", "books", appender -> {
                        appender.beginRow();
                        appender.append(job.payload());
                        appender.endRow();
                        return null;
                    })).build();
            queue.enqueue(NewJob.of("load", "\"9780141439518\""));
            try (Worker worker = queue.worker(fast())) {
                worker.runUntilDrained();
            }
            assertThat(queryLong("SELECT count(*) FROM raw.books WHERE isbn = '\"9780141439518\"'")).isEqualTo(1);
        }

        /**
         * A transactional handler's completion used to write the job's row outside the store's write lock: on a file
         * database the commit (WAL written and synced) keeps that row's new version uncommitted for a while, and a
         * heartbeat meeting it failed with "Conflict on update", losing the renewal of every lease in its round.
         */
        @Test
        void heartbeatsNeverConflictWithTransactionalHandlersCommittingOnAFile(@TempDir Path dir) throws Exception {
            java.util.List<String> heartbeatFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Warehouse file = Warehouse.open(dir.resolve("jobs.duckdb"));
                 JobQueue queue = JobQueue.builder().store(JobStores.duckdb(file)).clock(clock)
                         .listener(new JobListener() {
                             @Override
                             public void heartbeatFailed(String message) {
                                 heartbeatFailures.add(message);
                             }
                         })
                         .transactionalHandler("load", (job, tx) -> insertEffect(tx, job.id())).build()) {
                file.execute(SqlOwner.soma("test"), "CREATE TABLE effects (job_id BIGINT)");
                List<NewJob> jobs = new java.util.ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    jobs.add(NewJob.of("load", "{}"));
                }
                queue.enqueueAll(jobs);
                // a heartbeat every millisecond over every running job, while four threads commit effects with completions
                try (Worker worker = queue.worker(fast().withBatchSize(100).withHeartbeatInterval(Duration.ofMillis(1)))) {
                    assertThat(worker.runUntilDrained().completed()).isEqualTo(600);
                }
                assertThat(file.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM effects")).isEqualTo(600);
            }
            assertThat(heartbeatFailures).isEmpty();
        }

        @Test
        void aWorkerRidesOutPassingDatabaseErrors() throws Exception {
            java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(3);
            JobStore flaky = (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                    new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("claim") && failuresLeft.getAndDecrement() > 0) {
                            throw new dev.soma.core.error.SomaException(dev.soma.core.error.ErrorCode.SQL_ERROR, "connection reset");
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            JobQueue queue = JobQueue.builder().store(flaky).clock(clock).handler("noop", job -> { }).build();
            queue.enqueueAll(List.of(NewJob.of("noop", "{}"), NewJob.of("noop", "{}")));
            try (Worker worker = queue.worker(fast().withPollInterval(Duration.ofMillis(10)))) {
                assertThat(worker.runUntilDrained().completed()).isEqualTo(2);
            }
        }

        @Test
        void reopeningAFileRescuesJobsLeftProcessingByADeadProcessAtOnce(@TempDir Path dir) {
            Path file = dir.resolve("jobs.duckdb");
            long id;
            try (JobStore first = JobStores.duckdb(file)) {
                id = first.enqueue(List.of(NewJob.of("k", "{}")), clock.instant()).get(0).id();
                // an owner from another process: what a killed worker leaves behind
                assertThat(first.claim("otherhost:1:dead", 1, Set.of(), clock.instant(), Duration.ofHours(1))).hasSize(1);
            }
            try (JobStore reopened = JobStores.duckdb(file)) {
                Job job = reopened.find(id).orElseThrow();
                assertThat(job.state()).isEqualTo(JobState.PENDING);
                assertThat(job.errors()).extracting(JobError::message).containsExactly(JobError.LEASE_EXPIRED);
            }
        }

        @Test
        void aFileHeldByAnotherProcessGivesTheInUseByPidMessage(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("held.duckdb");
            Process holder = LockHolder.start(file);
            try {
                assertThatThrownBy(() -> JobStores.duckdb(file))
                        .isInstanceOfSatisfying(DatabaseLockedException.class,
                                e -> assertThat(e.getMessage()).contains("is in use by another process").contains("PID " + holder.pid()));
            } finally {
                holder.getOutputStream().close();
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
