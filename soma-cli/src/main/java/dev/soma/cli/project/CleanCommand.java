package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.models.Soma;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;

/** {@code soma clean}: deletes the project's target folder (compiled SQL and artifacts). */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Delete the project's target folder (compiled SQL, manifest.json, run_results.json). The database is untouched.")
public final class CleanCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path project = options.projectDir().toAbsolutePath().normalize();
        Path target;
        try (Soma soma = options.readOnly()) {
            target = soma.targetDir().toAbsolutePath().normalize();
        }
        if (!target.startsWith(project) || target.equals(project)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "refusing to delete " + target + ", which is not inside " + project);
        }
        if (!Files.exists(target)) {
            spec.commandLine().getOut().println("Nothing to clean: " + target + " does not exist");
            return ExitCode.OK;
        }
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        spec.commandLine().getOut().println("Removed " + target);
        return ExitCode.OK;
    }
}
