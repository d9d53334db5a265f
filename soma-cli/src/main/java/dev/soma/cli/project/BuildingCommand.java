package dev.soma.cli.project;

import dev.soma.cli.windows.WindowsOption;
import dev.soma.models.SomaBuilder;
import picocli.CommandLine.Mixin;

/** What {@code run} and {@code build} share beyond {@link ExecuteCommand}: they build, so they take {@code --windows}. */
abstract class BuildingCommand extends ExecuteCommand {

    @Mixin
    WindowsOption windows;

    @Override
    protected SomaBuilder configure(SomaBuilder builder) {
        return windows.apply(builder);
    }
}
