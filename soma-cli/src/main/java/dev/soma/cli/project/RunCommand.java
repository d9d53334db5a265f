package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.cli.windows.WindowsOption;
import dev.soma.models.SomaBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code soma run}: builds the selected models and seeds in dependency order. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Build the selected models (and seeds) into the database, in dependency order. Tests do not run; "
                + "see 'soma build'.", "Exits 1 when a model errors."})
public final class RunCommand extends ExecuteCommand {

    @Mixin
    WindowsOption windows;

    @Override
    protected SomaBuilder configure(SomaBuilder builder) {
        return windows.apply(builder);
    }

    @Override
    protected RunResult execute(Soma soma) {
        return soma.run(options.selection());
    }
}
