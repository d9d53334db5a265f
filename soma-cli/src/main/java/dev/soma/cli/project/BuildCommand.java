package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code soma build}: builds models and seeds and runs their tests, in graph order; optionally write-audit-publish. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build the selected models and seeds and run their tests, in graph order: each node's tests run "
                + "right after it builds, and a failing error-severity test skips everything downstream.",
                "With --publish everything is built into shadow relations (analytics.fact_sales__audit) and tested "
                + "there; only if no error-severity test failed does all of it go live, in one transaction "
                + "(docs/publishing.md). A target with 'publish: true' does this by default.",
                "Exits 1 when a model errors or an error-severity test fails."})
public final class BuildCommand extends BuildingCommand {

    @ArgGroup(exclusive = true)
    PublishMode publish;

    static final class PublishMode {
        @Option(names = "--publish", description = "Build into the shadow, test it, and publish all of it at once if the "
                + "tests pass; otherwise nothing live changes and the shadow stays for a look.")
        boolean publish;

        @Option(names = "--audit", description = "Build into the shadow and test it, and leave it there for "
                + "'soma publish' (or 'soma publish --discard').")
        boolean audit;

        @Option(names = "--no-publish", description = "Build in place even when the target publishes by default.")
        boolean inPlace;
    }

    @Override
    protected RunResult execute(Soma soma) {
        Publishing mode = publish == null ? soma.defaultPublishing()
                : publish.publish ? Publishing.PUBLISH : publish.audit ? Publishing.AUDIT : Publishing.OFF;
        return soma.build(options.selection(), mode).run();
    }
}
