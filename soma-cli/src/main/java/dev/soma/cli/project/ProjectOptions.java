package dev.soma.cli.project;

import dev.soma.cli.DatabaseOptions;
import dev.soma.cli.ThreadsFlag;
import dev.soma.models.Soma;
import dev.soma.models.SomaBuilder;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.Selection;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;

/** The options every project command takes, and how they become a {@link Soma}. */
public final class ProjectOptions {

    @Mixin
    DatabaseOptions location = new DatabaseOptions();

    /** The command these options belong to, for usage errors; {@code null} when made by {@link #of}. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-s", "--select"}, paramLabel = "SELECTOR", arity = "1..*",
            description = "Nodes to act on, in dbt syntax: name, +name, name+, @name, tag:x, path:dir, config.materialized:table, ...")
    List<String> select;

    @Option(names = "--exclude", paramLabel = "SELECTOR", arity = "1..*", description = "Nodes to leave out.")
    List<String> exclude;

    @Option(names = "--threads", paramLabel = "N", description = "Worker connections. Default: the target's, else 4.")
    Integer threads;

    @Option(names = "--vars", paramLabel = "YAML", description = "Vars over the project's, as YAML: '{start_date: 2024-01-01}'.")
    String vars;

    @Option(names = "--full-refresh", description = "Rebuild incremental models from scratch.")
    boolean fullRefresh;

    @Option(names = "--full-test", description = "Test every row of incremental models, not only the rows this run added or changed.")
    boolean fullTest;

    @Option(names = "--empty",
            description = "Every ref and source reads zero rows (dbt's --empty): checks the whole project's SQL in seconds. "
                    + "Models are built empty; seeds load in full.")
    boolean empty;

    @Option(names = "--fail-fast", description = "Start nothing new after the first failure.")
    boolean failFast;

    @Option(names = "--no-partial-parse",
            description = "Render every model afresh instead of reusing target/partial_parse.bin for unchanged files.")
    boolean noPartialParse;

    @Option(names = "--state", paramLabel = "DIR",
            description = "An earlier run's artifacts (its target/ folder, holding manifest.json): enables state:modified, "
                    + "state:new, ... selectors and --defer (docs/ci.md).")
    Path state;

    @Option(names = "--defer", description = "With --state: a ref to a model this run does not build, and that does not "
            + "exist here, reads the relation the state's manifest records (e.g. production's).")
    boolean defer;

    @Option(names = "--favor-state", description = "With --defer: read the state's relation even when one exists here.")
    boolean favorState;

    /** The selection from {@code --select} and {@code --exclude}. */
    public Selection selection() {
        Selection selection = Selection.of(select == null ? "" : String.join(" ", select));
        return exclude == null ? selection : selection.excluding(String.join(" ", exclude));
    }

    /**
     * Whether these options select every node as a plain load would: no {@code --select}, {@code --exclude},
     * {@code --state}, {@code --defer} or {@code --no-partial-parse} (which also turns off the listing snapshot).
     */
    public boolean selectsEverything() {
        return select == null && exclude == null && state == null && !defer && !favorState && !noPartialParse;
    }

    /** The project folder: as given, or found in the current folder or ./models. */
    public Path projectDir() {
        return location.projectDir();
    }

    /** Options with only the project and database of {@code location} set (for commands without the rest). */
    public static ProjectOptions of(DatabaseOptions location) {
        ProjectOptions options = new ProjectOptions();
        options.location = location;
        return options;
    }

    /** A builder with every option applied; the caller adds a warehouse or lets it open the database. */
    public SomaBuilder builder(RunListener listener) {
        return builder(listener, false);
    }

    /**
     * A builder with every option applied; with {@code readOnly}, a missing database file is an error
     * and none is created ({@code show}, {@code compile}, {@code test}).
     */
    public SomaBuilder builder(RunListener listener, boolean readOnly) {
        SomaBuilder builder = Soma.builder()
                .existingDatabaseOnly(readOnly)
                .project(projectDir())
                .target(location.target())
                .fullRefresh(fullRefresh)
                .fullTest(fullTest)
                .empty(empty)
                .failFast(failFast)
                .partialParse(!noPartialParse)
                .state(state)
                .defer(defer)
                .favorState(favorState)
                .listener(listener);
        if (threads != null) {
            builder.threads(ThreadsFlag.check(command, threads));
        }
        if (location.db() != null) {
            builder.database(location.db());
        }
        if (vars != null && !vars.isBlank()) {
            builder.varsYaml("--vars", vars);
        }
        return builder;
    }

    /** A Soma for commands that only read the project: it opens no database unless a verb asks for one. */
    public Soma readOnly() {
        return builder(RunListener.NONE, true).build();
    }
}
