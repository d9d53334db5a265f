package dev.soma.models.internal.project;

import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.parser.ProjectParser;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Loads a project directory into a {@link Project}: reads {@code soma_project.yml} and every YAML,
 * SQL, macro and seed file, renders each model once to learn its references and in-file config,
 * resolves config (model file &gt; model YAML &gt; folder default &gt; project default) and validates it.
 * The reading itself is done per node kind in {@code dev.soma.models.internal.parser}; start at
 * {@link ProjectParser}.
 *
 * <p>Needs no database. Thread-safe; each {@link #load} reads the files afresh, parsing on the
 * executor it was given.
 */
public final class ProjectLoader {

    private final ProjectParser parser;

    /**
     * A loader that renders every model on every load (no parse cache).
     *
     * @param executor runs parsing and rendering in parallel; owned by the caller (a {@code Soma})
     */
    public ProjectLoader(Executor executor) {
        this(executor, false, null);
    }

    /**
     * @param executor     runs parsing and rendering in parallel; owned by the caller (a {@code Soma})
     * @param partialParse keep what rendering found in {@code target/partial_parse.bin} and reuse it for
     *                     models whose text, macros and vars are unchanged
     * @param targetDir    where the cache lives; {@code null}: the project's {@code target_path}
     */
    public ProjectLoader(Executor executor, boolean partialParse, Path targetDir) {
        this.parser = new ProjectParser(executor, partialParse, targetDir);
    }

    /**
     * Loads the project at {@code root}.
     *
     * @param varOverrides vars from the command line or the builder, over the project's own
     * @throws ProjectException for anything wrong with the files, naming file and line
     */
    public Project load(Path root, Map<String, Object> varOverrides) {
        return parser.parse(root, varOverrides);
    }
}
