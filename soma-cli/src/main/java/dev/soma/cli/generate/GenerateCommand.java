package dev.soma.cli.generate;

import dev.soma.cli.DatabaseOptions;
import dev.soma.cli.ExitCode;
import dev.soma.cli.ThreadsFlag;
import dev.soma.cli.console.Console;
import dev.soma.core.engine.Engines;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.CuratedBooksCsv;
import dev.soma.generator.ExperimentDesign;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.generator.RawLanding;
import dev.soma.generator.RawTable;
import dev.soma.generator.RawTablesExistException;
import dev.soma.models.ProjectDatabase;
import dev.soma.models.Soma;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code soma generate}: writes the synthetic raw tables into a database. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Generate deterministic synthetic publishing data into schema raw.",
                "Publishers, books, sales, inventory and campaign events with A/B experiments, into the target's database",
                "(a DuckDB file; on a Spark target, Iceberg tables landed through Parquet files under target/generate).",
                "Same flags, same data. Counts at scale 1: 10 publishers, 100 books, 100 sales,",
                "50 inventory rows, 50 campaign events; an explicit count wins over --scale."},
        sortOptions = false)
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--scale", paramLabel = "F", description = "Multiply every count. Default: 1.")
    Double scale;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed. Default: 42.")
    Long seed;

    @Option(names = "--as-of", paramLabel = "DATE", converter = DateConverter.class,
            description = "The snapshot date (YYYY-MM-DD): data ends the day before. Default: today.")
    LocalDate asOf;

    @Option(names = "--publishers", paramLabel = "N", description = "Publishers (default 10 x scale).")
    Long publishers;

    @Option(names = "--books", paramLabel = "N", description = "Books (default 100 x scale).")
    Long books;

    @Option(names = "--sales", paramLabel = "N", description = "Sales (default 100 x scale).")
    Long sales;

    @Option(names = "--inventory", paramLabel = "N", description = "Inventory rows (default 50 x scale).")
    Long inventory;

    @Option(names = "--campaigns", paramLabel = "N", description = "Campaign events (default 50 x scale).")
    Long campaigns;

    @Option(names = "--sales-days", paramLabel = "N",
            description = "Days of sales before --as-of. Default: " + GenerationConfig.DEFAULT_SALES_WINDOW_DAYS + ".")
    Integer salesDays;

    @Option(names = "--lift", paramLabel = "X",
            description = "Relative CTR lift of treatment over control in the A/B experiments. Default: 0.10.")
    Double lift;

    @Option(names = "--threads", paramLabel = "N", description = "DuckDB threads (does not change the data). Default: DuckDB's.")
    Integer threads;

    @Option(names = "--replace", description = "Replace existing raw tables (all five: in one transaction on a database file; one by one on a "
            + "target without one, such as Spark).")
    boolean replace;

    @Option(names = "--curated-books", paramLabel = "CSV",
            description = "Also write a publisher's curated_books.csv from the books (a few rows broken on purpose), "
                    + "for soma ingest; e.g. models/data/curated_books.csv.")
    Path curatedBooks;

    private final Clock clock;

    /** The command with the system clock; {@code --as-of} defaults to today. */
    public GenerateCommand() {
        this(Clock.systemDefaultZone());
    }

    /** The command with {@code clock} deciding what "today" is. */
    public GenerateCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        GenerationConfig config = config();
        Console console = Console.detect(spec.commandLine().getOut());
        GenerationProgress progress = new GenerationProgress(console);
        GenerationResult result;
        long curatedLines;
        Path projectDir = database.projectDirOrNull();
        String engine = ProjectDatabase.engine(projectDir, database.target());
        if (engine != null && database.db() == null && !Engines.onClassPath().provider(engine).usesDatabaseFile()) {
            return generateAndLand(config, console, progress, projectDir);
        }
        try (Warehouse warehouse = database.open()) {
            console.line("Generating into %s (seed %d, as of %s, scale %s)...", warehouse.describe(), config.seed(),
                    config.asOf(), number(config.scale()));
            try {
                result = Generator.with(config).listener(progress).generate(warehouse);
            } catch (RawTablesExistException e) {
                if (curatedBooks == null) {
                    throw e;
                }
                // Asked for the curated CSV on a database that already has data: write it from the books there
                // rather than refuse; regenerating stays behind --replace.
                result = null;
            }
            curatedLines = curatedBooks == null ? 0 : CuratedBooksCsv.write(warehouse, curatedBooks);
        } finally {
            progress.close();
        }
        if (result == null) {
            console.line("  the raw tables already exist and were kept (--replace regenerates them); "
                    + "the curated CSV comes from the books already there");
        } else {
            printSummary(console, result);
        }
        if (curatedBooks != null) {
            console.line("  %s: %,d rows, one in %d broken on purpose; load it with soma ingest", curatedBooks,
                    curatedLines, CuratedBooksCsv.BROKEN_EVERY);
        }
        return ExitCode.OK;
    }

    /**
     * A target whose engine keeps no database file (Spark with Iceberg tables): the tables are generated
     * into a scratch database under the project's {@code target/} folder, written as Parquet beside it,
     * and read into the target's tables ({@link RawLanding}); the scratch database is deleted after.
     */
    private Integer generateAndLand(GenerationConfig config, Console console, GenerationProgress progress, Path projectDir) {
        try (Soma soma = Soma.builder().project(projectDir).target(database.target()).build()) {
            Warehouse target = soma.warehouse();
            Path scratch = soma.targetDir().resolve("generate");
            // Not raw.duckdb: DuckDB names the catalog after the file, and a catalog "raw" beside schema raw is ambiguous.
            Path file = scratch.resolve("generated.duckdb");
            GenerationResult result;
            Map<RawTable, Long> landed;
            long curatedLines;
            try {
                Files.createDirectories(scratch);
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new SomaException(ErrorCode.FILE_ACCESS, "cannot prepare " + scratch + " for generating: " + e.getMessage(), e);
            }
            console.line("Generating into %s through Parquet in %s (seed %d, as of %s, scale %s)...", target.describe(),
                    scratch, config.seed(), config.asOf(), number(config.scale()));
            try (Warehouse local = Warehouse.open(file)) {
                try {
                    result = Generator.with(config.withReplace(true)).listener(progress).generate(local);
                } finally {
                    progress.close();
                }
                landed = RawLanding.land(local, target, scratch.resolve("parquet"), replace);
                curatedLines = curatedBooks == null ? 0 : CuratedBooksCsv.write(local, curatedBooks);
            } finally {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(scratch.resolve("generated.duckdb.wal"));
                } catch (IOException e) {
                    console.line("  could not delete the scratch database %s: %s", file, e.getMessage());
                }
            }
            printSummary(console, result);
            landed.forEach((table, rows) -> console.line("  landed %-19s %,14d rows", table.qualifiedName(), rows));
            if (curatedBooks != null) {
                console.line("  %s: %,d rows, one in %d broken on purpose; load it with soma ingest", curatedBooks,
                        curatedLines, CuratedBooksCsv.BROKEN_EVERY);
            }
            return ExitCode.OK;
        }
    }

    /** The flags as a config; a bad value is a usage error that names its flag. */
    GenerationConfig config() {
        GenerationConfig config = GenerationConfig.defaults(clock);
        if (scale != null) {
            require(scale > 0 && !scale.isInfinite(), "--scale must be a number greater than 0, got " + number(scale));
            config = config.withScale(scale);
        }
        if (seed != null) {
            config = config.withSeed(seed);
        }
        if (asOf != null) {
            config = config.withAsOf(asOf);
        }
        config = count(config, "--publishers", publishers);
        config = count(config, "--books", books);
        config = count(config, "--sales", sales);
        config = count(config, "--inventory", inventory);
        config = count(config, "--campaigns", campaigns);
        if (salesDays != null) {
            require(salesDays >= 1 && salesDays <= 36_500, "--sales-days must be between 1 and 36500, got " + salesDays);
            config = config.withSalesWindowDays(salesDays);
        }
        if (lift != null) {
            require(lift >= -0.9 && lift <= 10, "--lift must be between -0.9 and 10 (0.10 means +10%), got " + number(lift));
            config = config.withLift(lift);
        }
        if (threads != null) {
            config = config.withThreads(ThreadsFlag.check(spec, threads));
        }
        return config.withReplace(replace);
    }

    private GenerationConfig count(GenerationConfig config, String flag, Long value) {
        if (value == null) {
            return config;
        }
        require(value >= 0, flag + " must be 0 or more, got " + value);
        require(value <= GenerationConfig.MAX_ROWS, flag + " must be at most " + GenerationConfig.MAX_ROWS + ", got " + value);
        return switch (flag) {
            case "--publishers" -> config.withPublishers(value);
            case "--books" -> config.withBooks(value);
            case "--sales" -> config.withSales(value);
            case "--inventory" -> config.withInventory(value);
            default -> config.withCampaigns(value);
        };
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** Rows and time per table, the total rate, and the A/B design. */
    public static void printSummary(Console console, GenerationResult result) {
        for (Map.Entry<RawTable, Long> entry : result.rows().entrySet()) {
            Duration took = result.durations().get(entry.getKey());
            console.line("  %-20s %,14d rows  %8.2f s", entry.getKey().qualifiedName(), entry.getValue(),
                    took == null ? 0.0 : took.toNanos() / 1e9);
        }
        console.line("  %-20s %,14d rows  %8.2f s  (%,d rows/s)", "total", result.totalRows(),
                result.duration().toNanos() / 1e9, Math.round(result.rowsPerSecond()));
        ExperimentDesign design = result.experiments();
        if (design.experiments() > 0) {
            console.line("  A/B: %,d experiments over %,d campaign rows; treatment CTR = control CTR x %s",
                    design.experiments(), design.experimentRows(), number(1 + design.lift()));
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    /** Parses {@code YYYY-MM-DD}, with a message that says what is expected. */
    static final class DateConverter implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date; use YYYY-MM-DD, e.g. 2025-06-30");
            }
        }
    }
}
