package dev.soma.cli;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;

/**
 * Turns what goes wrong into one readable line on standard error and an exit code. Stack traces
 * only with {@code -v}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final BooleanSupplier verbose;

    ErrorHandler(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched
                && !commandLine.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "'";
        }
        StringBuilder line = new StringBuilder("error: ").append(message);
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append("?)");
        }
        String name = commandLine.getCommandSpec().qualifiedName();
        line.append("; run '").append(name).append(" --help' for usage");
        err.println(commandLine.getColorScheme().errorText(line.toString()));
        if (verbose.getAsBoolean() || containsVerboseFlag(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean showTrace = verbose.getAsBoolean();
        int exit;
        if (ex instanceof SomaException soma && soma.code().kind() != ErrorCode.Kind.INTERNAL) {
            err.println(commandLine.getColorScheme().errorText("error: " + soma.getMessage()));
            exit = ExitCode.USAGE;
        } else {
            err.println(commandLine.getColorScheme().errorText("internal error: " + ex
                    + (showTrace ? "" : " (run again with -v for the stack trace, and please report it)")));
            exit = ExitCode.INTERNAL;
        }
        if (showTrace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exit;
    }

    private static boolean containsVerboseFlag(String[] args) {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
