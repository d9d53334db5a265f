package dev.soma.benchmarks.jobs;

import dev.soma.benchmarks.Heap;
import dev.soma.jobs.JobListener;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A million jobs with 200-byte payloads flow through the DuckDB store (enqueued while a worker runs,
 * finished jobs pruned as it goes); prints the Java heap in use after a full GC every 100,000 jobs. Flat
 * means payloads are not held: a million payloads alone would be ~400 MiB of strings, far above {@code -Xmx128m}.
 *
 * <pre>
 * java -Xmx128m -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.jobs.QueueMemoryCheck [JOBS]
 * </pre>
 */
public final class QueueMemoryCheck {

    private QueueMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        Path dir = Files.createTempDirectory("soma-queue-memory-");
        AtomicLong completed = new AtomicLong();
        String padding = "x".repeat(180);
        long start = System.nanoTime();
        try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(dir.resolve("memory.duckdb")))
                .handler("noop", job -> { })
                .listener(new JobListener() {
                    @Override
                    public void completed(long id, String kind) {
                        completed.incrementAndGet();
                    }
                }).build();
             Worker worker = queue.worker(WorkerConfig.defaults().withThreads(4).withBatchSize(1000)
                     .withPollInterval(Duration.ofMillis(20)))) {
            worker.start();
            long enqueued = 0;
            long nextReport = 100_000;
            while (completed.get() < total) {
                if (enqueued < total && enqueued - completed.get() < 50_000) {
                    List<NewJob> chunk = new ArrayList<>(1000);
                    for (int i = 0; i < 1000 && enqueued < total; i++, enqueued++) {
                        chunk.add(NewJob.of("noop", "{\"i\": " + enqueued + ", \"pad\": \"" + padding + "\"}"));
                    }
                    queue.enqueueAll(chunk);
                } else {
                    Thread.sleep(5);
                }
                if (completed.get() >= nextReport) {
                    int pruned = queue.prune(Duration.ZERO);
                    System.gc();
                    System.out.printf(Locale.ROOT, "%,9d jobs done  %6.1f s  heap after GC %4d MiB  (peak %4d MiB)  pruned %,d%n",
                            completed.get(), (System.nanoTime() - start) / 1e9, usedHeapMiB(), Heap.peakMiB(), pruned);
                    nextReport += 100_000;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%,d jobs in %.1f s (%,.0f jobs/s, with enqueue and prune); max heap %d MiB, peak used %d MiB%n",
                completed.get(), seconds, completed.get() / seconds, Runtime.getRuntime().maxMemory() >> 20, Heap.peakMiB());
    }

    private static long usedHeapMiB() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }
}
