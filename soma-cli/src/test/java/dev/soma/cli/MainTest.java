package dev.soma.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which commands load DuckDB's driver ahead of reading their command line. */
class MainTest {

    @Test
    void theModelVerbsOnTheDefaultEngineLoadTheDriverAheadAndCommandsThatOpenNoDatabaseDoNot() {
        assertThat(Main.opensDuckDb(new String[] {"run"})).isTrue();
        assertThat(Main.opensDuckDb(new String[] {"--no-color", "build", "--select", "tag:marts"})).isTrue();
        assertThat(Main.opensDuckDb(new String[] {"test", "--project-dir", "ls"})).isTrue();
        assertThat(Main.opensDuckDb(new String[] {"ls"})).isFalse();
        assertThat(Main.opensDuckDb(new String[] {"--version"})).isFalse();
        assertThat(Main.opensDuckDb(new String[] {})).isFalse();
        assertThat(Main.opensDuckDb(new String[] {"run", "--target", "spark"})).as("another engine may be named").isFalse();
        assertThat(Main.opensDuckDb(new String[] {"run", "--target=prod"})).isFalse();
        assertThat(Main.opensDuckDb(new String[] {"run", "--help"})).isFalse();
    }
}
