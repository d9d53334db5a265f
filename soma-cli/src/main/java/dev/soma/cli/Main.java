package dev.soma.cli;

import dev.soma.core.warehouse.DriverPreload;

import java.util.Arrays;

/** Entry point of the {@code soma} command. The only place that calls {@link System#exit}, but for the launcher's {@link ClassDataTraining}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (opensDuckDb(args)) {
            DriverPreload.start();
        }
        configureLogging(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        System.exit(SomaCommand.commandLine(args).execute(args));
    }

    /**
     * Whether the command will open a DuckDB database first thing: a model verb on the default engine (no
     * {@code --target}, which may name another). Only then is the driver loaded ahead ({@link DriverPreload}); a
     * command that never opens one ({@code ls}, {@code --version}) would only lose the cores to it.
     */
    static boolean opensDuckDb(String[] args) {
        String verb = null;
        for (String arg : args) {
            if (arg.equals("--target") || arg.startsWith("--target=") || arg.equals("--help") || arg.equals("-h")) {
                return false;
            }
            if (verb == null && !arg.startsWith("-")) {
                verb = arg;
            }
        }
        return verb != null && switch (verb) {
            case "run", "build", "test", "snapshot", "retry", "show", "runs" -> true;
            default -> false;
        };
    }

    /** Library modules log through SLF4J; the CLI keeps them quiet unless asked to speak. */
    static void configureLogging(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
