package dev.soma.cli.ingest;

import dev.soma.ingest.Ingest;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What the commands that look at loads ({@code loads}, {@code rejects}) share: the options, opening, printing. */
abstract class IngestLookCommand implements Callable<Integer> {

    @Mixin
    IngestOptions options;

    @Spec
    CommandSpec spec;

    /** Prints what the command shows; returns the exit code. */
    abstract int print(PrintWriter out, Ingest ingest);

    @Override
    public final Integer call() {
        return options.look(ingest -> print(spec.commandLine().getOut(), ingest));
    }
}
