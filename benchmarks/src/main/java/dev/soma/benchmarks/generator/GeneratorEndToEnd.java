package dev.soma.benchmarks.generator;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.generator.RawTable;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process, one job, for end-to-end comparisons that include the JVM's start and DuckDB's load:
 * {@code generator} runs the real generator ({@link GeneratorBenchmark#config}) into a fresh file database,
 * {@code ctas} runs {@link GeneratorBenchmark#writeBareCtas} (DuckDB's own limit) into one; both open the
 * file, do the work and close it (DuckDB checkpoints at close). Prints one line of phases, wall and CPU
 * seconds of this process (user + system, from {@code /proc/self/stat}), for {@code benchmarks/generator-e2e}
 * to collect; time the whole process from outside for the end-to-end figure.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.generator.GeneratorEndToEnd
 * generator|ctas /tmp/e2e.duckdb 10000000}
 */
public final class GeneratorEndToEnd {

    private GeneratorEndToEnd() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !(args[0].equals("generator") || args[0].equals("ctas"))) {
            System.err.println("usage: GeneratorEndToEnd generator|ctas <database file> <sales rows>");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        long rows = Long.parseLong(args[2]);
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(args[1] + ".wal"));
        double startCpu = cpuSeconds();
        long start = System.nanoTime();
        Warehouse warehouse = Warehouse.open(file);
        long opened = System.nanoTime();
        double openedCpu = cpuSeconds();
        String detail = "";
        if (args[0].equals("generator")) {
            GenerationResult result = Generator.with(GeneratorBenchmark.config(rows)).generate(warehouse);
            detail = String.format(" sales_wall %.2f", result.durations().get(RawTable.SALES).toNanos() / 1e9);
        } else {
            GeneratorBenchmark.writeBareCtas(warehouse, rows);
        }
        long worked = System.nanoTime();
        double workedCpu = cpuSeconds();
        warehouse.close();
        long closed = System.nanoTime();
        double closedCpu = cpuSeconds();
        System.out.printf("e2e %s rows %d jvm_before_main_wall %.2f jvm_before_main_cpu %.2f open_wall %.2f open_cpu %.2f"
                        + " work_wall %.2f work_cpu %.2f close_wall %.2f close_cpu %.2f%s%n",
                args[0], rows, (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3
                        - (closed - start) / 1e9, startCpu,
                (opened - start) / 1e9, openedCpu - startCpu, (worked - opened) / 1e9, workedCpu - openedCpu,
                (closed - worked) / 1e9, closedCpu - workedCpu, detail);
    }

    /** User + system CPU seconds of this process so far (fields 14 and 15 of /proc/self/stat, 100 ticks a second). */
    static double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
