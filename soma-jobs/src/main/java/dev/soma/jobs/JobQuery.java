package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * Which jobs to list, newest id first, one page at a time (keyset paging on the id).
 *
 * @param state    only this state, or {@code null} for all
 * @param kind     only this kind, or {@code null} for all
 * @param limit    page size, 1 to 10,000; default 50
 * @param beforeId only ids below this one (the {@link JobPage#nextBeforeId()} of the previous page), or {@code null}
 */
public record JobQuery(JobState state, String kind, int limit, Long beforeId) {

    public JobQuery {
        if (limit < 1 || limit > 10_000) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "a page of jobs holds 1 to 10000 jobs, got " + limit);
        }
    }

    /** Every job, 50 to a page. */
    public static JobQuery all() {
        return new JobQuery(null, null, 50, null);
    }

    public JobQuery withState(JobState state) {
        return new JobQuery(state, kind, limit, beforeId);
    }

    public JobQuery withKind(String kind) {
        return new JobQuery(state, kind, limit, beforeId);
    }

    public JobQuery withLimit(int limit) {
        return new JobQuery(state, kind, limit, beforeId);
    }

    public JobQuery withBeforeId(Long beforeId) {
        return new JobQuery(state, kind, limit, beforeId);
    }
}
