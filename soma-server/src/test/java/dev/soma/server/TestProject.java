package dev.soma.server;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small built project for server tests: raw.books → stg_books (view) → dim_books (table, tested). */
final class TestProject {

    private TestProject() {
    }

    static Soma build(Path root, Warehouse warehouse) {
        write(root, "soma_project.yml", """
                name: server_fixture
                version: 1.0.0
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: table, schema: analytics}
                """);
        write(root, "sources.yml", """
                sources:
                  - name: raw
                    schema: raw
                    tables:
                      - name: books
                        description: Books as loaded.
                """);
        write(root, "staging/stg_books.sql", "select * from ${source(\"raw\", \"books\")}\n");
        write(root, "marts/dim_books.sql", "select book_id, title, genre, price from ${ref(\"stg_books\")}\n");
        write(root, "marts/_marts.yml", """
                models:
                  - name: dim_books
                    description: One row per book.
                    columns:
                      - name: book_id
                        description: The book's id.
                        tests: [unique, not_null]
                      - name: title
                        description: Its title.
                      - name: genre
                        tests:
                          - accepted_values: {values: [Fiction, History, Science]}
                """);
        warehouse.createSchema("raw");
        warehouse.execute(SqlOwner.loader("fixture"), """
                CREATE OR REPLACE TABLE raw.books AS
                SELECT 'BOOK_' || lpad(i::VARCHAR, 6, '0') AS book_id,
                       CASE WHEN i = 7 THEN 'The '' or 1=1 -- book' ELSE 'Title ' || i END AS title,
                       ['Fiction', 'History', 'Science'][1 + i % 3] AS genre, 5.0 + i AS price
                FROM range(1, 26) t(i)
                """);
        Soma soma = Soma.builder().project(root).warehouse(warehouse).threads(2).targetDir(root.resolve("target")).build();
        soma.build(Selection.all());
        return soma;
    }

    private static void write(Path root, String path, String text) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
