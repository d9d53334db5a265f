package dev.soma.models.api;

/**
 * The outcome of {@code build(selection, publishing)}: the run (every node and test, as in a plain build)
 * and, unless publishing was {@link Publishing#OFF}, what became of its shadow.
 *
 * @param run     the build run
 * @param publish the shadow's fate, or {@code null} for a plain build
 */
public record PublishedBuild(RunResult run, PublishResult publish) {

    /** The run succeeded and, if shadowed, its shadow was published or audited as asked. */
    public boolean isSuccess() {
        return run.isSuccess() && (publish == null || publish.state() != PublishState.FAILED);
    }
}
