package dev.soma.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/** Runs one task on several threads at once, for the tests of concurrent runs. */
public final class AllAtOnce {

    private AllAtOnce() {
    }

    /** The work of one thread: it waits on {@code start} (with all the others) where the race should begin. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int index, CyclicBarrier start) throws Exception;
    }

    /** What the threads returned and what they threw, each in the order they finished. */
    public record Outcome<T>(List<T> results, List<Throwable> errors) {
    }

    /** Starts {@code threads} threads on {@code task} (index 0 to threads - 1) and waits for them all. */
    public static <T> Outcome<T> run(int threads, Task<T> task) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<T> results = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    results.add(task.run(index, start));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        return new Outcome<>(results, errors);
    }
}
