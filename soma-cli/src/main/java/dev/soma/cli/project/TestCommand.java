package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.SomaBuilder;
import dev.soma.models.api.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code soma test}: runs data tests against what is in the database. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the selected data tests, and the tests of the selected models, seeds and sources, "
                + "against what is in the database now. Nothing is built.",
                "Exits 1 when an error-severity test fails or errors, 0 when only warnings. A test whose models",
                "were never built is an error (run soma build first), unless --allow-unbuilt."})
public final class TestCommand extends ExecuteCommand {

    @Option(names = "--allow-unbuilt", description = "Skip the tests of models or seeds that were never built (saying so), "
            + "instead of failing them.")
    boolean allowUnbuilt;

    @Override
    protected SomaBuilder configure(SomaBuilder builder) {
        return builder.allowUnbuilt(allowUnbuilt);
    }

    @Override
    protected boolean readOnly() {
        return true;
    }

    @Override
    protected RunResult execute(Soma soma) {
        return soma.test(options.selection());
    }
}
