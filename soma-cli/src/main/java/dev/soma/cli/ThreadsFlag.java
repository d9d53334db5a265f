package dev.soma.cli;

import dev.soma.core.config.Threads;
import dev.soma.core.error.SomaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every {@code --threads} flag: checked by the one rule ({@link Threads}, 1 to 1024) and, when out of
 * range, reported as a usage error of the command that took it ({@code error: …; run 'soma X --help'}).
 */
public final class ThreadsFlag {

    private ThreadsFlag() {
    }

    /**
     * @param spec the command that took the flag; {@code null} reports a plain configuration error
     * @return {@code threads}
     */
    public static int check(CommandSpec spec, int threads) {
        try {
            return Threads.require("--threads", threads);
        } catch (SomaException e) {
            if (spec == null) {
                throw e;
            }
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
