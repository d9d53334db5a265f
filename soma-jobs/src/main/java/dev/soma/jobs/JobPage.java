package dev.soma.jobs;

import java.util.List;

/**
 * One page of {@link JobQueue#list}.
 *
 * @param nextBeforeId pass to {@link JobQuery#withBeforeId} for the next page; {@code null} on the last page
 */
public record JobPage(List<Job> jobs, Long nextBeforeId) {

    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
