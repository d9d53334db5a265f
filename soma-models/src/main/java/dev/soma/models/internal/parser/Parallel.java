package dev.soma.models.internal.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Parses many files on the loader's executor, in as many slices as there are cores, and hands the
 * results back in file order. Parsing YAML and rendering models dominate loading a large project.
 *
 * <p>When several files are broken, the error reported is the first in file order, whatever the
 * scheduling, so a broken project gives the same message on every load.
 */
final class Parallel {

    private final Executor executor;

    /** @param executor owned by the caller (a {@code Soma}); {@code Runnable::run} parses on the calling thread */
    Parallel(Executor executor) {
        this.executor = executor;
    }

    /** {@code work} for 0..count-1, in parallel; the results in order, or the first failure in order. */
    <T> List<T> map(int count, IntFunction<T> work) {
        List<T> results = new ArrayList<>(count);
        inOrder(count, work, results::add);
        return results;
    }

    /**
     * Runs {@code work} for 0..count-1 in parallel, then hands each result to {@code then} in order;
     * a failed item throws its failure when its turn comes, after {@code then} has seen the items before it.
     */
    <T> void inOrder(int count, IntFunction<T> work, Consumer<T> then) {
        Object[] results = new Object[count];
        run(count, i -> {
            try {
                results[i] = work.apply(i);
            } catch (RuntimeException e) {
                results[i] = new Failure(e);
            }
        });
        for (Object result : results) {
            if (result instanceof Failure failure) {
                throw failure.exception();
            }
            @SuppressWarnings("unchecked")
            T value = (T) result;
            then.accept(value);
        }
    }

    private record Failure(RuntimeException exception) {
    }

    /** Runs {@code work} for 0..count-1 in slices on the executor and waits; {@code work} must not throw. */
    private void run(int count, java.util.function.IntConsumer work) {
        int slices = Math.min(count, Runtime.getRuntime().availableProcessors());
        if (slices <= 1) {
            for (int i = 0; i < count; i++) {
                work.accept(i);
            }
            return;
        }
        CompletableFuture<?>[] running = new CompletableFuture<?>[slices];
        for (int s = 0; s < slices; s++) {
            int slice = s;
            running[s] = CompletableFuture.runAsync(() -> {
                for (int i = slice; i < count; i += slices) {
                    work.accept(i);
                }
            }, executor);
        }
        try {
            CompletableFuture.allOf(running).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
