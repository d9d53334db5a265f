package dev.soma.cli;

import dev.soma.cli.demo.DemoCommand;
import dev.soma.cli.enrich.EnrichCommand;
import dev.soma.cli.generate.GenerateCommand;
import dev.soma.cli.ingest.IngestCommand;
import dev.soma.cli.ingest.LoadsCommand;
import dev.soma.cli.ingest.RejectsCommand;
import dev.soma.cli.jobs.JobsCommand;
import dev.soma.cli.jobs.WorkerCommand;
import dev.soma.cli.project.BuildCommand;
import dev.soma.cli.project.DiffCommand;
import dev.soma.cli.project.RetryCommand;
import dev.soma.cli.serve.ServeCommand;
import dev.soma.cli.project.CleanCommand;
import dev.soma.cli.project.PublishCommand;
import dev.soma.cli.project.RunsCommand;
import dev.soma.cli.project.TestCommand;
import dev.soma.cli.project.CompileCommand;
import dev.soma.cli.project.ListCommand;
import dev.soma.cli.project.RunCommand;
import dev.soma.cli.project.SnapshotCommand;
import dev.soma.cli.project.ShowCommand;
import dev.soma.cli.windows.WindowsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** The top-level {@code soma} command: prints help when run without a subcommand. */
@Command(name = "soma",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Soma: generate, model and test analytics data on embedded DuckDB.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:models or error-severity tests failed",
                "2:usage, project or database error (nothing was run)",
                "3:internal error in Soma (please report it with the -v output)"})
public final class SomaCommand implements Callable<Integer> {

    /** Every subcommand, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            DemoCommand.class,
            GenerateCommand.class,
            CompileCommand.class,
            RunCommand.class,
            TestCommand.class,
            BuildCommand.class,
            RetryCommand.class,
            DiffCommand.class,
            SnapshotCommand.class,
            PublishCommand.class,
            RunsCommand.class,
            ListCommand.class,
            ShowCommand.class,
            CleanCommand.class,
            IngestCommand.class, LoadsCommand.class, RejectsCommand.class,
            JobsCommand.class, WorkerCommand.class,
            EnrichCommand.class,
            WindowsCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show every node as it runs, debug logging and stack traces.")
    boolean verbose;

    /** A {@link CommandLine} with every subcommand and Soma's error handling, ready to execute. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * A {@link CommandLine} ready to execute {@code args}: when they name one subcommand (other than {@code help}),
     * after at most {@code -v}, only that subcommand is built, since picocli reflects over every option of every
     * command it builds (most of a short command's start); otherwise every subcommand, so the root's help, an unknown
     * command's suggestions and its errors are unchanged.
     */
    public static CommandLine commandLine(String[] args) {
        SomaCommand root = new SomaCommand();
        CommandLine commandLine = new CommandLine(root);
        Class<?> only = args == null ? null : named(args);
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (only == null || subcommand == only) {
                commandLine.addSubcommand(subcommand);
            }
        }
        ErrorHandler handler = new ErrorHandler(() -> root.verbose);
        commandLine.setExecutionExceptionHandler(handler);
        commandLine.setParameterExceptionHandler(handler);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // --select takes several values: without this, a typo such as --bogus after it would be taken as a selector
        commandLine.setUnmatchedOptionsAllowedAsOptionParameters(false);
        // The project options are one mixin; a command shows only those that do something there.
        dropOptions(commandLine, "ls", "--threads", "--full-refresh", "--fail-fast", "--db", "--empty");
        dropOptions(commandLine, "show", "--select", "--exclude", "--threads", "--full-refresh", "--fail-fast", "--empty");
        dropOptions(commandLine, "clean", "--select", "--exclude", "--threads", "--full-refresh", "--fail-fast", "--db", "--vars",
                "--empty");
        dropOptions(commandLine, "compile", "--threads", "--fail-fast");
        dropOptions(commandLine, "test", "--full-refresh", "--empty");
        dropOptions(commandLine, "serve", "--empty");
        dropOptions(commandLine, "run", "--junit-xml");
        dropOptions(commandLine, "clean", "--state", "--defer", "--favor-state");
        dropOptions(commandLine, "show", "--defer", "--favor-state");
        return commandLine;
    }

    /** The subcommand {@code args} run, when they start with it (after {@code -v} or {@code --verbose} only); else {@code null}. */
    private static Class<?> named(String[] args) {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                continue;
            }
            for (Class<?> subcommand : SUBCOMMANDS) {
                Command command = subcommand.getAnnotation(Command.class);
                if (subcommand != CommandLine.HelpCommand.class
                        && (command.name().equals(arg) || Arrays.asList(command.aliases()).contains(arg))) {
                    return subcommand;
                }
            }
            return null;
        }
        return null;
    }

    private static void dropOptions(CommandLine root, String command, String... names) {
        CommandLine sub = root.getSubcommands().get(command);
        if (sub == null) {
            return;
        }
        for (String name : names) {
            CommandLine.Model.OptionSpec option = sub.getCommandSpec().findOption(name);
            if (option != null) {
                sub.getCommandSpec().remove(option);
            }
        }
    }

    /** Whether {@code -v} was given, seen from any subcommand's spec. */
    public static boolean verbose(CommandSpec spec) {
        return spec.root().userObject() instanceof SomaCommand root && root.verbose;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK;
    }
}
