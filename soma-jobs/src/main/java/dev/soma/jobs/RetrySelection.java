package dev.soma.jobs;

import java.util.List;

/**
 * Which failed jobs {@code retry-failed} puts back to pending.
 *
 * @param kind only this kind ({@code null}: any)
 * @param ids  only these ids (empty: any)
 */
public record RetrySelection(String kind, List<Long> ids) {

    public RetrySelection {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }

    /** Every failed job. */
    public static RetrySelection all() {
        return new RetrySelection(null, List.of());
    }

    /** Failed jobs of one kind. */
    public static RetrySelection kind(String kind) {
        return new RetrySelection(kind, List.of());
    }

    /** These failed jobs. */
    public static RetrySelection ids(List<Long> ids) {
        return new RetrySelection(null, ids);
    }
}
