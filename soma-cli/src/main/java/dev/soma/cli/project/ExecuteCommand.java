package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.cli.SomaCommand;
import dev.soma.cli.console.Console;
import dev.soma.models.Soma;
import dev.soma.models.SomaBuilder;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.JUnitReport;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** What {@code run}, {@code test} and {@code build} share: options, progress, exit code. */
abstract class ExecuteCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--junit-xml", paramLabel = "PATH",
            description = "Also write the tests' results as a JUnit XML report (one testcase per test), for CI systems.")
    Path junitXml;

    /** Adds a command's own options to the builder (run and build: {@code --windows}). */
    protected SomaBuilder configure(SomaBuilder builder) {
        return builder;
    }

    /** Runs the verb on a loaded project. */
    protected abstract RunResult execute(Soma soma);

    /** Whether the verb only reads the database (then a missing file is an error, never created). */
    protected boolean readOnly() {
        return false;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunProgress progress = new RunProgress(out, spec.commandLine().getColorScheme().ansi(),
                Console.detect(out).interactive(), SomaCommand.verbose(spec));
        // every verb here opens the database first thing: open it while the project loads
        try (Soma soma = configure(options.builder(progress, readOnly())).openDatabaseEarly(true).build()) {
            warnProject(spec, soma);
            warnUnmatched(spec, soma.unmatched(options.selection()));
            RunResult result = execute(soma);
            if (junitXml != null) {
                JUnitReport.write(result, junitXml);
            }
            return result.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** Prints one warning line per project warning (what loads but is probably a mistake). */
    static void warnProject(CommandSpec spec, Soma soma) {
        soma.warnings().forEach(warning -> spec.commandLine().getErr().println("warning: " + warning));
    }

    /** Prints one warning line per selector that matched nothing. */
    static void warnUnmatched(CommandSpec spec, List<String> unmatched) {
        for (String selector : unmatched) {
            spec.commandLine().getErr().println("warning: the selector '" + selector + "' matches no node; 'soma ls' lists them");
        }
    }
}
