package dev.soma.jobs;

import java.time.Duration;

/** Recorded as a job's error when its handler ran longer than {@link WorkerConfig#jobTimeout()}. */
public class JobTimeoutException extends RuntimeException {

    private final Duration timeout;

    public JobTimeoutException(Duration timeout) {
        super("the handler ran longer than the job timeout of " + timeout
                + "; it was interrupted and the job retried (raise WorkerConfig.jobTimeout if it needs longer)");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
