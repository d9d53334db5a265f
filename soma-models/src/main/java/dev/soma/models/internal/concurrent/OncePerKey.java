package dev.soma.models.internal.concurrent;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Computes a value once per key, however many threads ask, without holding a map lock while it
 * computes (which {@code ConcurrentHashMap.computeIfAbsent} does, blocking every other key of the same
 * bin behind a query or a render). The first caller computes; the others wait for its result, or its
 * exception. Thread-safe.
 */
public final class OncePerKey<K, V> {

    private final ConcurrentHashMap<K, FutureTask<V>> tasks = new ConcurrentHashMap<>();

    /** The value for {@code key}, computed by {@code compute} if no thread has yet. */
    public V get(K key, Function<K, V> compute) {
        FutureTask<V> task = tasks.get(key);
        if (task == null) {
            FutureTask<V> mine = new FutureTask<>(() -> compute.apply(key));
            task = tasks.putIfAbsent(key, mine);
            if (task == null) {
                task = mine;
                mine.run();
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new SomaException(ErrorCode.INTERNAL, "computing " + key + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SomaException(ErrorCode.INTERNAL, "interrupted while waiting for " + key, e);
        }
    }
}
