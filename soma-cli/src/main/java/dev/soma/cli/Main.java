package dev.soma.cli;

import java.util.Arrays;

/** Entry point of the {@code soma} command. The only place that calls {@link System#exit}, but for the launcher's {@link ClassDataTraining}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        System.exit(SomaCommand.commandLine(args).execute(args));
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
