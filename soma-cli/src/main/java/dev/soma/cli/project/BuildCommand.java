package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.cli.windows.WindowsOption;
import dev.soma.models.SomaBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code soma build}: builds models and seeds and runs their tests, in graph order. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build the selected models and seeds and run their tests, in graph order: each node's tests run "
                + "right after it builds, and a failing error-severity test skips everything downstream.",
                "Exits 1 when a model errors or an error-severity test fails."})
public final class BuildCommand extends ExecuteCommand {

    @Mixin
    WindowsOption windows;

    @Override
    protected SomaBuilder configure(SomaBuilder builder) {
        return windows.apply(builder);
    }

    @Override
    protected RunResult execute(Soma soma) {
        return soma.build(options.selection());
    }
}
