package dev.soma.benchmarks.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * DuckDB doing the work of {@code soma run} on the cold-CLI project, for {@link ColdCli}'s ratio: a new JVM
 * opens the database and runs {@code CREATE OR REPLACE VIEW} for each model's compiled SQL (read from the
 * project's {@code target/compiled}, as the previous {@code soma run} wrote it) in one transaction, in the
 * models' order (the generated project refs only earlier models). Takes the arguments {@code soma run}
 * takes ({@code run --project-dir P --db D ...}), so it is a ColdCli variant through {@code benchmarks/bare-views}.
 */
public final class BareViews {

    private BareViews() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        Path project = null;
        Path database = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--project-dir" -> project = Path.of(args[++i]);
                case "--db" -> database = Path.of(args[++i]);
                default -> {
                }
            }
        }
        if (project == null || database == null) {
            throw new IllegalArgumentException("usage: BareViews run --project-dir P --db D");
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(project.resolve("target/compiled"))) {
            files = new ArrayList<>(all.filter(p -> p.toString().endsWith(".sql")).toList());
        }
        files.sort(Comparator.comparingInt(BareViews::index));
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS analytics");
            connection.setAutoCommit(false);
            for (Path file : files) {
                String schema = file.toString().contains("/staging/") ? "staging" : "analytics";
                String name = file.getFileName().toString().replace(".sql", "");
                statement.execute("CREATE OR REPLACE VIEW \"" + schema + "\".\"" + name + "\" AS\n" + Files.readString(file));
            }
            connection.commit();
        }
        System.out.printf(Locale.ROOT, "%d views in %.2f s%n", files.size(), (System.nanoTime() - start) / 1e9);
    }

    private static int index(Path file) {
        return Integer.parseInt(file.getFileName().toString().replaceAll("\\D", ""));
    }
}
