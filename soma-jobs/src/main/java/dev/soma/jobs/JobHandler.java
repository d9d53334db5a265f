package dev.soma.jobs;

/**
 * Runs jobs of one kind. Returning normally completes the job; throwing records the error and retries
 * with backoff until {@code max_attempts}. Called on a worker thread, possibly on several at once.
 */
@FunctionalInterface
public interface JobHandler {

    void handle(JobContext job) throws Exception;
}
