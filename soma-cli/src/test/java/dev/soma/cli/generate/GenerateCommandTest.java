package dev.soma.cli.generate;

import dev.soma.cli.SomaCommand;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    /** {@code soma ARGS} in-process, with captured output. */
    private record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            CommandLine commandLine = SomaCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            return new Run(commandLine.execute(args), out.toString(), err.toString());
        }
    }

    @Test
    void generatesPrintsASummaryAndRefusesToOverwriteWithoutReplace(@TempDir Path dir) {
        String db = dir.resolve("soma.duckdb").toString();
        Run run = Run.of("generate", "--db", db, "--as-of", "2025-06-30", "--sales", "1000", "--threads", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("Generating into " + Path.of(db).toAbsolutePath() + " (seed 42, as of 2025-06-30, scale 1)")
                .containsPattern("raw\\.sales +1,000 rows")
                .containsPattern("raw\\.publishers +10 rows")
                .containsPattern("total +1,210 rows .* rows/s\\)")
                .contains("A/B: 3 experiments over 30 campaign rows; treatment CTR = control CTR x 1.1");
        assertThat(run.out()).doesNotContain("\r");
        assertThat(run.out().split("raw\\.sales", -1)).as("each table printed once").hasSize(2);

        Run again = Run.of("generate", "--db", db, "--seed", "7");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err().strip().lines()).hasSize(1);
        assertThat(again.err()).startsWith("error: database ").contains("already has raw tables (raw.books, raw.publishers,")
                .contains("rerun with --replace");

        Run replaced = Run.of("generate", "--db", db, "--seed", "7", "--as-of", "2025-06-30", "--replace");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM raw.sales")).isEqualTo(100);
        }
    }

    @Test
    void theCuratedCsvOnADatabaseWithDataComesFromItsBooksAndKeepsTheTables(@TempDir Path dir) throws Exception {
        String db = dir.resolve("soma.duckdb").toString();
        assertThat(Run.of("generate", "--db", db, "--as-of", "2025-06-30", "--books", "40").exitCode()).isZero();
        Path csv = dir.resolve("data").resolve("curated_books.csv");

        Run run = Run.of("generate", "--db", db, "--curated-books", csv.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("the raw tables already exist and were kept (--replace regenerates them)")
                .contains(csv + ": 40 rows").doesNotContain("raw.sales");
        assertThat(java.nio.file.Files.readAllLines(csv)).hasSize(41);
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM raw.books")).isEqualTo(40);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--scale|0|--scale must be a number greater than 0, got 0",
            "--scale|-2|--scale must be a number greater than 0, got -2",
            "--sales|-1|--sales must be 0 or more, got -1",
            "--books|-3|--books must be 0 or more, got -3",
            "--publishers|-1|--publishers must be 0 or more, got -1",
            "--inventory|-1|--inventory must be 0 or more, got -1",
            "--campaigns|-1|--campaigns must be 0 or more, got -1",
            "--threads|0|--threads must be between 1 and 1024, got 0",
            "--lift|-1|--lift must be between -0.9 and 10",
            "--sales-days|0|--sales-days must be between 1 and 36500, got 0",
            "--as-of|2025-13-01|'2025-13-01' is not a date; use YYYY-MM-DD",
            "--as-of|yesterday|'yesterday' is not a date; use YYYY-MM-DD",
            "--sales|many|Invalid value for option '--sales'"})
    void badValuesExitTwoWithOneLineNamingTheFlag(String flag, String value, String message, @TempDir Path dir) {
        Path db = dir.resolve("soma.duckdb");
        Run run = Run.of("generate", "--db", db.toString(), flag, value);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("error: ").contains(message).contains(flag);
        assertThat(db).doesNotExist();
    }

    @Test
    void aConfigErrorThatNoFlagCatchesIsStillOneLine(@TempDir Path dir) {
        Run run = Run.of("generate", "--db", dir.resolve("x.duckdb").toString(), "--books", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo(
                "error: books must be at least 1 when there are sales or inventory rows (they refer to books)");
    }

    @Test
    void asOfDefaultsToTodayOnTheInjectedClock() {
        GenerateCommand command = new GenerateCommand(Clock.fixed(Instant.parse("2031-02-03T23:00:00Z"), ZoneOffset.UTC));
        new CommandLine(command).parseArgs("--sales", "5");
        assertThat(command.config().asOf()).isEqualTo(LocalDate.of(2031, 2, 3));
        assertThat(command.config().sales()).isEqualTo(5);
        assertThat(command.config().seed()).isEqualTo(42);
    }

    @Test
    void helpListsEveryFlag() {
        Run run = Run.of("generate", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--db", "--scale", "--seed", "--as-of", "--publishers", "--books", "--sales",
                "--inventory", "--campaigns", "--lift", "--threads", "--replace");
    }
}
