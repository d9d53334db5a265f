package dev.soma.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SomaCommandTest {

    @Test
    void versionNamesSomaDuckDbAndJava() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("soma ").contains("DuckDB v")
                .contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void helpListsExitCodes() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: soma").contains("Exit codes:").contains("--verbose");
    }

    @Test
    void unknownSubcommandIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("frobnicate").contains("soma --help");
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("--frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
