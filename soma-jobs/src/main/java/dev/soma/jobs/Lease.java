package dev.soma.jobs;

/**
 * The fence a worker holds on a claimed job: completing, failing, heartbeating or releasing it only
 * takes effect while the job is still {@code processing} with this attempt and owner. After a rescue
 * the attempt (and usually the owner) differ, so a stale worker's write updates zero rows.
 */
public record Lease(long id, int attempt, String owner) {
}
