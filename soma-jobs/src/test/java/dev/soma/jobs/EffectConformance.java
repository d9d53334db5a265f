package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Effects that commit with their completion: a transactional effect, a batch effect, and a worker writing batches. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class EffectConformance extends JobStoreConformance {

    protected EffectConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

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
}
