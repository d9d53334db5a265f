package dev.soma.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    @Test
    void aCommandBuiltAloneIsTheCommandOfTheWholeTree() {
        CommandLine whole = SomaCommand.commandLine();
        for (Map.Entry<String, CommandLine> entry : whole.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            CommandLine alone = SomaCommand.commandLine(new String[] {"-v", entry.getKey(), "--help"});
            assertThat(alone.getSubcommands().values().stream().distinct()).hasSize(1);
            assertThat(usages(alone.getSubcommands().get(entry.getKey())))
                    .as("soma %s", entry.getKey()).isEqualTo(usages(entry.getValue()));
            assertThat(alone.getSubcommands().get(entry.getKey()).getCommandSpec().findOption("--verbose")).isNotNull();
        }
        assertThat(SomaCommand.commandLine(new String[] {"help", "ls"}).getSubcommands()).hasSameSizeAs(whole.getSubcommands());
        assertThat(SomaCommand.commandLine(new String[] {"--help"}).getSubcommands()).hasSameSizeAs(whole.getSubcommands());
        assertThat(SomaCommand.commandLine(new String[] {"lss"}).getSubcommands()).hasSameSizeAs(whole.getSubcommands());
    }

    /** The usage of {@code command} and of each of its subcommands, depth first. */
    private static List<String> usages(CommandLine command) {
        List<String> usages = new ArrayList<>(List.of(command.getUsageMessage()));
        command.getSubcommands().values().forEach(sub -> usages.addAll(usages(sub)));
        return usages;
    }
}
