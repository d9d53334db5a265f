package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.models.Soma;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code soma compile}: renders the selected models' SQL into target/compiled without running it. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Render the selected models' SQL into target/compiled (and write target/manifest.json) without running it. "
                + "With one model selected, print its SQL.")
public final class CompileCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Soma soma = options.builder(RunListener.NONE, true).build()) {
            ExecuteCommand.warnProject(spec, soma);
            ExecuteCommand.warnUnmatched(spec, soma.unmatched(options.selection()));
            List<CompiledNode> compiled = soma.compile(options.selection());
            if (compiled.size() == 1) {
                out.println(compiled.get(0).sql());
                return ExitCode.OK;
            }
            Path cwd = Path.of("").toAbsolutePath();
            for (CompiledNode node : compiled) {
                out.println(node.node().name() + "  ->  " + relative(cwd, node.compiledPath()));
            }
            out.println("Compiled " + compiled.size() + " model" + (compiled.size() == 1 ? "" : "s") + " into "
                    + relative(cwd, soma.targetDir().resolve("compiled")));
            return ExitCode.OK;
        }
    }

    static String relative(Path base, Path path) {
        Path absolute = path.toAbsolutePath();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
