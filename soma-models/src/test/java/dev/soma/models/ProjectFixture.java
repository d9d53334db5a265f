package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a project into a folder, file by file, for tests. */
final class ProjectFixture {

    private final Path root;

    ProjectFixture(Path root) {
        this.root = root;
    }

    static ProjectFixture in(Path root) {
        return new ProjectFixture(root).file("soma_project.yml", """
                name: fixture
                version: 1.0.0
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: table, schema: analytics}
                """);
    }

    ProjectFixture file(String path, String text) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProjectFixture delete(String path) {
        try {
            Files.deleteIfExists(root.resolve(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    SomaBuilder soma(Warehouse warehouse) {
        return Soma.builder().project(root).warehouse(warehouse).threads(2);
    }

    /** A small raw schema the fixture projects read: raw.books and raw.sales. */
    static void rawTables(Warehouse warehouse) {
        warehouse.createSchema("raw");
        warehouse.execute(dev.soma.core.warehouse.SqlOwner.loader("fixture"), """
                CREATE OR REPLACE TABLE raw.books AS
                SELECT 'BOOK_' || lpad(i::VARCHAR, 6, '0') AS book_id, 'Title ' || i AS title, 5.0 + i AS price
                FROM range(1, 11) t(i);
                CREATE OR REPLACE TABLE raw.sales AS
                SELECT 'TXN_' || lpad(i::VARCHAR, 8, '0') AS transaction_id,
                       'BOOK_' || lpad((1 + i % 10)::VARCHAR, 6, '0') AS book_id, 1 + i % 3 AS quantity
                FROM range(1, 101) t(i);
                """);
    }

    static final String SOURCES = """
            sources:
              - name: raw
                tables:
                  - name: books
                  - name: sales
            """;
}
