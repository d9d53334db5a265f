package dev.soma.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The fixture of the CSV load tests: a fresh warehouse file in a temporary folder, closed after each test. */
abstract class WarehouseTest {

    static final SqlOwner TEST = SqlOwner.soma("test");

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = Warehouse.open(dir.resolve("test.duckdb"));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }
}
