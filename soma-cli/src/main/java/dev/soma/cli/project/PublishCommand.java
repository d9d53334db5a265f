package dev.soma.cli.project;

import dev.soma.cli.DatabaseOptions;
import dev.soma.cli.ExitCode;
import dev.soma.models.Soma;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code soma publish}: makes the audited shadow live, or drops it with {@code --discard}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Make the shadow that 'soma build --audit' built and tested live, in one transaction "
                + "(docs/publishing.md). Refuses, changing nothing, when its audit failed or when a live relation "
                + "changed since the audit.",
                "With --discard, drop the shadow instead; nothing live changes."})
public final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--discard", description = "Drop the open shadow (audited or failed) without publishing it.")
    boolean discard;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        ProjectOptions options = ProjectOptions.of(database);
        PrintWriter out = spec.commandLine().getOut();
        try (Soma soma = options.builder(RunListener.NONE, true).build()) {
            PublishResult result = discard ? soma.discard() : soma.publish();
            out.println(result.summary());
            result.relations().forEach(r -> out.println("  " + r.live() + (discard ? "  (dropped " + r.shadow() + ")" : "")));
            return ExitCode.OK;
        }
    }
}
