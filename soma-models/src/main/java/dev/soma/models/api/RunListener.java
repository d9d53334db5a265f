package dev.soma.models.api;

/**
 * Hears about a run as it happens, to show progress. All methods are called from the thread that
 * called {@code run}/{@code test}/{@code build}, one at a time, so implementations need no locking.
 * They should return quickly: the run waits.
 */
public interface RunListener {

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };

    /** The run is about to start {@code total} nodes. */
    default void runStarted(Command command, int total) {
    }

    /** Node number {@code index} (1-based) of {@code total} has started. */
    default void nodeStarted(NodeInfo node, int index, int total) {
    }

    /** Node number {@code index} of {@code total} has finished (or was skipped). */
    default void nodeFinished(NodeResult result, int index, int total) {
    }

    /**
     * A write-audit-publish build passed its audit and is about to make {@code relations} relations live:
     * in one atomic step when {@code atomic}, else one table at a time (see {@link PublishResult#atomic()}).
     */
    default void publishStarted(int relations, boolean atomic) {
    }

    /** What became of a write-audit-publish build's shadow (published, failed, audited), before {@link #runFinished}. */
    default void publishFinished(PublishResult result) {
    }

    /** The run is over. */
    default void runFinished(RunResult result) {
    }
}
