package dev.soma.generator;

import dev.soma.core.warehouse.Warehouse;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Run in a second JVM by {@link KilledGenerationIT}: replaces the raw tables of the database given
 * as the only argument, prints {@code writing} once the sales are half written, and then waits to be
 * killed in the middle of its transaction.
 */
public final class KilledGeneration {

    public static void main(String[] args) throws Exception {
        GenerationConfig config = GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30))
                .withSeed(99).withReplace(true).withSales(200_000);
        GenerationListener stall = new GenerationListener() {
            @Override
            public void progressed(RawTable table, long rowsDone, long rowsTotal) {
                if (table == RawTable.SALES && rowsDone >= rowsTotal / 2) {
                    System.out.println("writing");
                    System.out.flush();
                    try {
                        Thread.sleep(120_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (Warehouse warehouse = Warehouse.open(Path.of(args[0]))) {
            Generator.with(config).listener(stall).chunkRows(50_000).generate(warehouse);
        }
    }
}
