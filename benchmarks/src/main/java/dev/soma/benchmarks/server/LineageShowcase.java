package dev.soma.benchmarks.server;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.Selection;
import dev.soma.server.SomaServer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves the lineage page of a generated layered project of N models, for screenshots and for trying
 * the page by hand: {@code java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.server.LineageShowcase
 * 10000 8090}. Projects up to 1,000 models are built (so nodes show their last status); larger ones
 * are only loaded. Stops on Ctrl-C.
 */
public final class LineageShowcase {

    private LineageShowcase() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8090;
        Path root = Files.createTempDirectory("soma-lineage-");
        int sources = LayeredProject.write(root.resolve("project"), n);
        Warehouse warehouse = Warehouse.inMemory();
        warehouse.createSchema("raw");
        for (String table : LayeredProject.sourceTables(sources)) {
            warehouse.execute(SqlOwner.loader("showcase"), "CREATE TABLE " + Identifiers.qualify("raw", table)
                    + " AS SELECT i AS id, i * 1.5 AS value, 'label ' || i AS label FROM range(100) t(i)");
        }
        Soma soma = Soma.builder().project(root.resolve("project")).warehouse(warehouse).threads(2)
                .targetDir(root.resolve("target")).build();
        if (n <= 1000) {
            soma.build(Selection.all());
        }
        SomaServer server = SomaServer.builder().soma(soma).warehouse(warehouse).port(port).build().start();
        System.out.println("lineage of " + n + " models at " + server.uri().resolve("/lineage"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            soma.close();
            warehouse.close();
        }));
        Thread.currentThread().join();
    }
}
