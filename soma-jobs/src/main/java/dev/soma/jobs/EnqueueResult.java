package dev.soma.jobs;

/**
 * What an enqueue did.
 *
 * @param id      the job's id: the new one, or the existing job's that holds the same unique key
 * @param created {@code false} when an existing job with the same unique key was returned instead
 */
public record EnqueueResult(long id, boolean created) {
}
