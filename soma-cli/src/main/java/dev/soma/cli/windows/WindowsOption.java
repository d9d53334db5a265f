package dev.soma.cli.windows;

import dev.soma.models.SomaBuilder;
import picocli.CommandLine.Option;

/** {@code --windows FROM..TO} for {@code run} and {@code build}: windows of windowed models to process again. */
public final class WindowsOption {

    @Option(names = "--windows", paramLabel = "FROM..TO",
            description = "Process the windows of windowed models starting in FROM..TO again, whatever their state "
                    + "(UTC, TO excluded), e.g. 2024-01-01..2024-01-08. A window whose source and target still match is skipped.")
    String windows;

    /** {@code builder} with the range applied, if one was given. */
    public SomaBuilder apply(SomaBuilder builder) {
        if (windows != null) {
            WindowRange range = WindowRange.parse("--windows", windows);
            builder.windows(range.from(), range.to());
        }
        return builder;
    }
}
