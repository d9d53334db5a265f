package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Enqueue: every field kept, idempotency on the unique key while its holder is live or completed, JSON payloads checked. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class EnqueueConformance extends JobStoreConformance {

    protected EnqueueConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

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
}
