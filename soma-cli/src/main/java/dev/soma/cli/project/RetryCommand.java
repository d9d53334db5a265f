package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.cli.SomaCommand;
import dev.soma.cli.console.Console;
import dev.soma.models.Soma;
import dev.soma.models.SomaBuilder;
import dev.soma.models.api.Command;
import dev.soma.models.api.PreviousRun;
import dev.soma.models.api.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code soma retry}: reruns what the last run left errored, failed or skipped, with its flags. */
@CommandLine.Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Rerun the nodes the last run (target/run_results.json) recorded as errored, failed or skipped, "
                + "the failed nodes themselves included, in graph order, with that run's command and flags "
                + "(--threads and --vars given here win, as in dbt).",
                "Exits 2 when there is no previous run, 0 when it left nothing to retry."})
public final class RetryCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path targetDir;
        try (Soma project = options.readOnly()) {
            targetDir = project.targetDir();
        }
        PreviousRun previous = PreviousRun.read(targetDir);
        if (previous.retry().isEmpty()) {
            out.println("nothing to retry: the last " + previous.command().label()
                    + " had no errors, failures or skipped nodes");
            return ExitCode.OK;
        }
        RunProgress progress = new RunProgress(out, spec.commandLine().getColorScheme().ansi(),
                Console.detect(out).interactive(), SomaCommand.verbose(spec));
        try (Soma soma = configure(options.builder(progress, previous.command() == Command.TEST), previous).build()) {
            ExecuteCommand.warnProject(spec, soma);
            out.println("retrying " + previous.retry().size() + " node" + (previous.retry().size() == 1 ? "" : "s")
                    + " of the last " + previous.command().label());
            RunResult result = soma.retry(previous);
            return result.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** The last run's flags, where this command line does not give its own. */
    private SomaBuilder configure(SomaBuilder builder, PreviousRun previous) {
        if (options.location.target() == null && previous.text("target") != null) {
            builder.target(previous.text("target"));
        }
        if (options.threads == null && previous.args().get("threads") instanceof Number threads) {
            builder.threads(threads.intValue());
        }
        if (options.vars == null) {
            builder.vars(previous.vars());
        }
        builder.fullRefresh(options.fullRefresh || previous.flag("full_refresh"))
                .fullTest(options.fullTest || previous.flag("full_test"))
                .failFast(options.failFast || previous.flag("fail_fast"))
                .empty(options.empty || previous.flag("empty"))
                .allowUnbuilt(previous.flag("allow_unbuilt"));
        if (options.state == null && previous.text("state") != null) {
            builder.state(Path.of(previous.text("state")))
                    .defer(previous.flag("defer"))
                    .favorState(previous.flag("favor_state"));
        }
        return builder;
    }
}
