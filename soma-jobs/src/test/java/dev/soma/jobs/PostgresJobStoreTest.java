package dev.soma.jobs;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conformance suite on the PostgreSQL store, every group, against a real server (see {@link TestPostgres}). */
class PostgresJobStoreTest {

    private static String url;

    /** The URL of this class's database on the embedded server, made on first use. */
    static synchronized String url() {
        if (url == null) {
            url = TestPostgres.server().newDatabase("conformance");
        }
        return url;
    }

    /** A PostgreSQL store on empty tables (the queue's schema and the effects table dropped first). */
    static StoreUnderTest emptied() {
        Database database = new Database(url());
        database.execute("DROP SCHEMA IF EXISTS soma_meta CASCADE; DROP TABLE IF EXISTS effects");
        return new OnServer(JobStores.postgres(database.url()), database);
    }

    record OnServer(JobStore store, Database database) implements StoreUnderTest {

        @Override
        public long queryLong(String sql) {
            return database.queryLong(sql);
        }

        @Override
        public void execute(String sql) {
            database.execute(sql);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** Plain JDBC on the test database, a connection per statement. */
    record Database(String url) {

        long queryLong(String sql) {
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ the conformance suite, every group

    @Nested
    class Enqueueing extends EnqueueConformance {
        Enqueueing() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class Claiming extends ClaimConformance {
        Claiming() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class Completing extends CompletionConformance {
        Completing() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class Leasing extends LeaseConformance {
        Leasing() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class Administering extends AdministrationConformance {
        Administering() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class Querying extends QueryConformance {
        Querying() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class WalkingTheStateMachine extends StateMachineConformance {
        WalkingTheStateMachine() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class CommittingEffects extends EffectConformance {
        CommittingEffects() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    @Nested
    class RunningWorkers extends WorkerConformance {
        RunningWorkers() {
            super(PostgresJobStoreTest::emptied);
        }
    }

    // ------------------------------------------------------------------ only PostgreSQL

    @Nested
    class PostgresOnly extends JobStoreConformance {

        PostgresOnly() {
            super(PostgresJobStoreTest::emptied);
        }

        @Test
        void aTransactionIsOnNoWarehouseAndHasNoSession() throws Exception {
            long id = enqueue(NewJob.of("k", "{}"));
            Job job = claim("A", 1).get(0);
            java.util.List<Boolean> seen = new java.util.ArrayList<>();
            try (dev.soma.core.warehouse.Warehouse warehouse = dev.soma.core.warehouse.Warehouse.inMemory()) {
                store.completeWith(job.lease(), now(), tx -> {
                    seen.add(tx.isOn(warehouse));
                    assertThatThrownBy(tx::session).isInstanceOf(UnsupportedOperationException.class);
                });
            }
            assertThat(seen).containsExactly(false);
            assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);
        }

        @Test
        void aUrlThatCannotConnectIsOneLineNamingTheUrl() {
            int closedPort = TestPostgres.server().port() + 1;
            String bad = "jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere?user=soma&password=secret&connectTimeout=2";
            assertThatThrownBy(() -> JobStores.postgres(bad))
                    .isInstanceOfSatisfying(QueueUnavailableException.class, e -> {
                        assertThat(e.getMessage()).startsWith("cannot connect to the PostgreSQL queue at jdbc:postgresql://127.0.0.1:"
                                + closedPort + "/nowhere?user=soma&password=***").doesNotContain("secret").doesNotContain("\n")
                                .endsWith("check that the server runs and the URL, user and password are right");
                        assertThat(e.location()).doesNotContain("secret");
                    });
            assertThatThrownBy(() -> JobStores.postgres("jdbc:mysql://x/y"))
                    .hasMessage("queue URL 'jdbc:mysql://x/y' is not a PostgreSQL JDBC URL; use jdbc:postgresql://HOST:PORT/DATABASE?user=NAME");
        }

        @Test
        void aWorkerIsWokenByAnEnqueueFromAnotherProcessThroughNotify() throws Exception {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            JobQueue queue = queue().handler("ping", job -> done.countDown()).build();
            WorkerConfig slowPoll = fast().withPollInterval(java.time.Duration.ofSeconds(20))
                    .withLease(java.time.Duration.ofMinutes(1)).withHeartbeatInterval(java.time.Duration.ofSeconds(20));
            try (Worker worker = queue.worker(slowPoll).start();
                 JobStore elsewhere = JobStores.postgres(url())) {   // another store: no in-JVM signal reaches the worker
                Thread.sleep(500);
                assertThat(worker.running()).as("idle, waiting").isTrue();
                elsewhere.enqueue(java.util.List.of(NewJob.of("ping", "{}")), now());
                assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("woken by NOTIFY, not the 20 s poll").isTrue();
            }
        }

        @Test
        void theClaimUsesSkipLocked() {
            // a claim of the due jobs while another transaction holds a row lock on one skips that row
            store.enqueue(java.util.List.of(NewJob.of("k", "{}"), NewJob.of("k", "{}")), now());
            try (Connection holder = DriverManager.getConnection(url())) {
                holder.setAutoCommit(false);
                long locked;
                try (Statement statement = holder.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT id FROM soma_meta.jobs ORDER BY id LIMIT 1 FOR UPDATE")) {
                    rs.next();
                    locked = rs.getLong(1);
                }
                var claimed = claim(A, 10);
                assertThat(claimed).hasSize(1);
                assertThat(claimed.get(0).id()).isNotEqualTo(locked);
                holder.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
