package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import picocli.CommandLine.Command;

/** {@code soma test}: runs data tests against what is in the database. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the selected data tests, and the tests of the selected models, seeds and sources, "
                + "against what is in the database now. Nothing is built.",
                "Exits 1 when an error-severity test fails or errors, 0 when only warnings."})
public final class TestCommand extends ExecuteCommand {

    @Override
    protected boolean readOnly() {
        return true;
    }

    @Override
    protected RunResult execute(Soma soma) {
        return soma.test(options.selection());
    }
}
