package dev.soma.core.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work done on another thread as if it had been done on this one. */
public final class Completions {

    private Completions() {
    }

    /**
     * The value of {@code future}, waiting for it; what its work threw (a runtime exception or an error) is thrown
     * as it was, not wrapped in a {@link CompletionException}, so callers meet the same exception a direct call
     * would have given them.
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
