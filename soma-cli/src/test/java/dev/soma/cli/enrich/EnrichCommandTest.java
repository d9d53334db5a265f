package dev.soma.cli.enrich;

import dev.soma.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** User mistakes on soma enrich: one line naming the thing and the fix, exit code 2, no stack trace. */
class EnrichCommandTest {

    @Test
    void aMissingCsvIsOneLineAndExitTwo(@TempDir Path dir) {
        CliRun run = CliRun.of("enrich", "publish", dir.resolve("nope.csv").toString(), "--db", dir.resolve("x.duckdb").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: no file ").contains("soma generate --curated-books FILE writes one")
                .doesNotContain("Exception");
    }

    @Test
    void aBadServiceUrlNamesTheOption(@TempDir Path dir) {
        CliRun run = CliRun.of("enrich", "run", "--db", dir.resolve("x.duckdb").toString(), "--open-library-url", "ftp://x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--open-library-url").contains("base URL must be an http(s) URL, not ftp://x")
                .doesNotContain("internal error");
    }

    @Test
    void statusOnAFreshDatabaseSaysWhatToDo(@TempDir Path dir) {
        CliRun run = CliRun.of("enrich", "status", "--db", dir.resolve("x.duckdb").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("enrich_book jobs: pending 0 processing 0 completed 0 failed 0 cancelled 0")
                .contains("no enriched books yet: soma enrich publish CSV, then soma enrich run");
    }
}
