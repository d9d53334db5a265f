package dev.soma.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md, wave 3: {@code Soma} is a facade in Flyway's manner, one call per verb into the class that
 * does it, and stays small. A verb that needs more than a line or two belongs in an internal package.
 */
class FacadeSizeTest {

    /** The most lines {@code Soma.java} may have, Javadoc and imports included. */
    static final int MAX_LINES = 250;

    /** The facade's source, relative to this module's directory (where Maven runs the tests). */
    static final Path FACADE = Path.of("..", "soma-models", "src", "main", "java", "dev", "soma", "models", "Soma.java");

    @Test
    void theSomaFacadeStaysSmall() throws IOException {
        assertThat(FACADE).as("Soma.java must be found to be measured (run from soma-architecture/)").isRegularFile();
        List<String> lines = Files.readAllLines(FACADE);
        assertThat(lines.size())
                .as("Soma.java has %d lines, over the facade's cap of %d: move the work of the verb that grew into the "
                        + "internal class for its concept (internal.run, internal.publish, internal.window, internal.listing)",
                        lines.size(), MAX_LINES)
                .isLessThanOrEqualTo(MAX_LINES);
    }
}
