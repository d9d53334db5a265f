package dev.soma.models.internal.database;

import dev.soma.core.config.Threads;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.EngineProvider;
import dev.soma.core.engine.EngineTarget;
import dev.soma.core.engine.Engines;
import dev.soma.core.error.DatabaseUnavailableException;
import dev.soma.core.error.UnknownEngineException;
import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.project.ProjectFile.TargetConfig;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The target a {@code Soma} works against, chosen from {@code soma_project.yml}: its engine, its
 * threads, its database, and the engine's own settings applied to every database it opens.
 *
 * @param name     the target's name ({@code dev} when the project declares none)
 * @param config   its block in {@code soma_project.yml}, or {@code null} when the project has no such target
 * @param provider the provider of the target's {@code engine:} (the default engine when it names none)
 */
public record Target(String name, TargetConfig config, EngineProvider provider) {

    /** Threads when neither the caller nor the target says. */
    public static final int DEFAULT_THREADS = 4;
    /** The database when neither the caller nor the target says. */
    public static final Path DEFAULT_DATABASE = Path.of("soma.duckdb");

    /**
     * The target called {@code requested}, else the project's {@code default_target}, else {@code dev}.
     *
     * @throws ProjectException when a target was asked for (or declared the default) and does not exist,
     *                          names an engine that is not on the class path, or has a key its engine
     *                          does not take
     */
    public static Target choose(Project project, String requested) {
        return choose(project.settings(), requested);
    }

    /** As {@link #choose(Project, String)}, from the project file alone (before the rest of the project is read). */
    public static Target choose(ProjectFile settings, String requested) {
        Map<String, TargetConfig> targets = settings.targets();
        String declaredDefault = settings.defaultTarget();
        String name = requested != null ? requested : declaredDefault != null ? declaredDefault : "dev";
        TargetConfig config = targets.get(name);
        if (config == null && (requested != null || declaredDefault != null)) {
            throw new ProjectException(null, "no target '" + name + "' in soma_project.yml"
                    + Suggestions.didYouMean(name, targets.keySet())
                    + (targets.isEmpty() ? "; add a targets: block" : "; targets: " + String.join(", ", targets.keySet())));
        }
        return new Target(name, config, provider(name, config, Engines.onClassPath()));
    }

    /** The provider of the target's engine, its keys checked against what that engine takes. */
    static EngineProvider provider(String name, TargetConfig config, Engines engines) {
        EngineProvider provider;
        try {
            provider = engines.provider(config == null ? null : config.engine());
        } catch (UnknownEngineException e) {
            throw new ProjectException(SourceLocation.of("soma_project.yml"), "target '" + name + "': " + e.getMessage(), e);
        }
        if (config != null) {
            for (String key : config.options().keySet()) {
                if (!provider.options().contains(key)) {
                    Set<String> known = new TreeSet<>(provider.options());
                    known.addAll(Set.of("engine", "database", "threads", "publish"));
                    throw new ProjectException(SourceLocation.of("soma_project.yml"), "unknown key '" + key + "' in target '" + name
                            + "'" + Suggestions.didYouMean(key, known) + "; a " + provider.name()
                            + " target takes: " + String.join(", ", known));
                }
            }
        }
        return provider;
    }

    /** The target's engine, without connecting: what compiling renders names and macros with. */
    public Engine engine() {
        return provider.engine(config == null ? Map.of() : config.options());
    }

    /** {@code requested} if given, else the target's threads, else {@value #DEFAULT_THREADS}. */
    public int threads(Integer requested) {
        if (requested != null) {
            return requested;
        }
        return config != null && config.threads() != null
                ? Threads.require("threads of target '" + name + "' in soma_project.yml", config.threads()) : DEFAULT_THREADS;
    }

    /** Whether {@code build} on this target publishes through a shadow by default ({@code publish: true}). */
    public boolean publishes() {
        return config != null && Boolean.TRUE.equals(config.publish());
    }

    /**
     * The database file this target works on, resolved the same way by every command: {@code override}
     * if given (relative to the working directory, like any command-line path), else the target's
     * {@code database} relative to the project folder (as dbt resolves its profile), else
     * {@code soma.duckdb} in the project folder. A project inside a jar has no folder: its relative
     * database resolves against the working directory, and one that climbs out of the project
     * ({@code ../soma.duckdb}, written for a checkout) is refused rather than landing in the working
     * directory's parent. {@code null} for {@code :memory:}.
     *
     * @throws ProjectException for a climbing relative database of a project inside a jar
     */
    public Path databaseFile(Path projectRoot, Path override) {
        String configured = config == null ? null : config.database();
        if (!provider.usesDatabaseFile() && configured == null && override == null) {
            return null;
        }
        return resolve(projectRoot, configured, override);
    }

    /** {@link #databaseFile} from the raw {@code database} value of a target ({@code null}: none). */
    public static Path resolve(Path projectRoot, String configured, Path override) {
        if (override != null) {
            return override.toAbsolutePath().normalize();
        }
        if (configured != null && configured.equals(":memory:")) {
            return null;
        }
        Path relative = Path.of(configured == null ? DEFAULT_DATABASE.toString() : configured);
        boolean onDisk = projectRoot == null || projectRoot.getFileSystem() == FileSystems.getDefault();
        if (!onDisk && !relative.isAbsolute() && relative.normalize().startsWith("..")) {
            throw new ProjectException(null, "the project is inside a jar, so its target's database '" + configured
                    + "' has no project folder to be relative to; pass the database (--db, or .database(path) or "
                    + ".warehouse(…) on Soma.builder()), or give the target an absolute path");
        }
        Path base = onDisk && projectRoot != null ? projectRoot.toAbsolutePath() : Path.of("").toAbsolutePath();
        return base.resolve(relative).normalize();
    }

    /**
     * Opens the target's warehouse through its engine's provider: {@link #databaseFile} with the target's
     * settings applied (in memory for {@code :memory:}) on DuckDB.
     *
     * @param mustExist for read-only commands: a missing file is an error naming it and what to run,
     *                  and no file is created
     */
    public Warehouse open(Path projectRoot, Path override, boolean mustExist) {
        Path file = databaseFile(projectRoot, override);
        if (provider.usesDatabaseFile() && mustExist && file != null && !Files.isRegularFile(file)) {
            throw new DatabaseUnavailableException(file, "no database at " + file
                    + (override != null ? " (from --db)" : " (target '" + name + "' of soma_project.yml, relative to the project folder)")
                    + "; run 'soma generate' and 'soma build' first, or pass the database with --db", null);
        }
        return provider.open(new EngineTarget(name, file, config == null ? Map.of() : config.options(),
                projectRoot, mustExist));
    }

    /** Applies the target's {@code settings:} to {@code warehouse} (one the caller opened), as its engine spells them. */
    public void applySettings(Warehouse warehouse) {
        if (config == null || !(config.options().get("settings") instanceof Map<?, ?> settings)) {
            return;
        }
        for (Map.Entry<?, ?> setting : settings.entrySet()) {
            String key = String.valueOf(setting.getKey());
            warehouse.execute(new SqlOwner("target setting", key), warehouse.engine().setting(key, setting.getValue()));
        }
    }
}
