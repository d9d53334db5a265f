package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import picocli.CommandLine.Command;

/** {@code soma run}: builds the selected models and seeds in dependency order. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Build the selected models (and seeds) into the database, in dependency order. Tests do not run; "
                + "see 'soma build'.", "Exits 1 when a model errors."})
public final class RunCommand extends BuildingCommand {

    @Override
    protected RunResult execute(Soma soma) {
        return soma.run(options.selection());
    }
}
