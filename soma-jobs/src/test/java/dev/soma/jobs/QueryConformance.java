package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading: pages newest first with filters, and the stats by state and kind. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class QueryConformance extends JobStoreConformance {

    protected QueryConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

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
}
