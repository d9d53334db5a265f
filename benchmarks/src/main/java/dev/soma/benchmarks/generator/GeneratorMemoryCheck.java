package dev.soma.benchmarks.generator;

import dev.soma.benchmarks.Heap;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.GenerationListener;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.generator.RawTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Generates many sales rows into a file and reports peak Java heap and peak resident memory, to show
 * that memory does not grow with the row count.
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.generator.GeneratorMemoryCheck /tmp/m.duckdb 100000000
 * </pre>
 */
public final class GeneratorMemoryCheck {

    private GeneratorMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long sales = Long.parseLong(args[1]);
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
        GenerationConfig config = GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30))
                .withSales(sales).withBooks(1_000_000).withPublishers(100_000).withInventory(50).withCampaigns(50);
        long[] lastReport = {System.nanoTime()};
        GenerationListener listener = new GenerationListener() {
            @Override
            public void progressed(RawTable table, long rowsDone, long rowsTotal) {
                if (System.nanoTime() - lastReport[0] > 20_000_000_000L) {
                    lastReport[0] = System.nanoTime();
                    System.out.printf(Locale.ROOT, "%s %,d/%,d  heap peak %d MiB  RSS %d MiB%n", table.qualifiedName(),
                            rowsDone, rowsTotal, Heap.peakMiB(), rssMiB("VmRSS"));
                }
            }
        };
        GenerationResult result;
        try (Warehouse warehouse = Warehouse.open(file)) {
            result = Generator.with(config).listener(listener).generate(warehouse);
        }
        double salesSeconds = result.durations().get(RawTable.SALES).toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "sales rows: %,d in %.1f s (%,.0f rows/s); all tables %,d rows in %.1f s%n",
                result.rows(RawTable.SALES), salesSeconds, result.rows(RawTable.SALES) / salesSeconds,
                result.totalRows(), result.duration().toNanos() / 1e9);
        System.out.printf(Locale.ROOT, "max heap (-Xmx): %d MiB; peak heap used: %d MiB; peak RSS (VmHWM): %d MiB; file: %,d MiB%n",
                Runtime.getRuntime().maxMemory() >> 20, Heap.peakMiB(), rssMiB("VmHWM"), Files.size(file) >> 20);
    }

    /** A line of /proc/self/status in MiB, or -1 off Linux. */
    private static long rssMiB(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
