package dev.soma.models.internal.parser;

import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.SchemaFile;
import dev.soma.models.internal.project.VarResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What rendering each model found last time (its refs, sources, in-file config, the vars it read),
 * kept in {@code target/partial_parse.bin} and keyed by the model file's content, so loading an
 * unchanged project renders nothing (dbt's partial parsing).
 *
 * <p>Correct before fast. An entry is reused only when the model's text hashes the same, every macro
 * file is byte-identical (macros are included in every template, so a changed macro re-renders every
 * model), every var the render read has the same value now, and every ref and source it found still
 * exists and none it asked for in vain has appeared (otherwise the model is rendered again, which
 * gives the real error or the new answer). Folder config and {@code soma_project.yml} are read afresh on
 * every load, so they need no invalidation of their own; a var changed there or by {@code --vars}
 * re-renders the models that read it.
 *
 * <p>It also keeps what each YAML file beside the models parsed to ({@link SchemaJson}), keyed by the
 * file's content: a file whose text hashes the same is read back from the cache, any other (changed,
 * added) is parsed, and a removed file's entry is dropped when the cache is written again. Everything
 * done with the parsed files (checks, tests, docs) runs on every load as before.
 *
 * <p>A cache file is trusted only whole: it must carry this format, this build of Soma, this project
 * (folder and name) and a checksum of its body that matches. A corrupt, truncated, foreign-version or
 * other-project file is ignored and rewritten, never used. Written to a temporary file and moved into
 * place, so a killed or concurrent writer never leaves half a file; {@link ParseCacheFile} is its layout.
 * Failing to write is not an error: the next load just renders again.
 *
 * <p>Thread-safe for lookups and records made by the loader's workers.
 */
final class ParseCache {

    private static final Logger LOG = LoggerFactory.getLogger(ParseCache.class);

    /** The cache's file name inside the target folder. */
    static final String FILE_NAME = "partial_parse.bin";

    /** A model's parse result, and what it depended on besides its own text and the macros. */
    record Entry(String path, String textHash, Set<String> refs, Set<String> sources, NodeConfig config,
                 boolean windowRead, Map<String, String> varsRead, Set<String> absentRefs, Set<String> absentSources) {

        /**
         * Whether the names this render saw still answer the same: every ref and source it found exists,
         * and none it asked for in vain has appeared since.
         */
        boolean namesUnchanged(Set<String> refNames, Set<String> sourceNames) {
            return refNames.containsAll(refs) && sourceNames.containsAll(sources)
                    && absentRefs.stream().noneMatch(refNames::contains)
                    && absentSources.stream().noneMatch(sourceNames::contains);
        }
    }

    /** A YAML file's parse as {@link SchemaJson}, valid while the file's text hashes to {@code textHash}. */
    record YamlEntry(String path, String textHash, String json) {
    }

    /** What a cache file holds: the models' entries and the YAML files', each by project-relative path. */
    record Contents(Map<String, Entry> models, Map<String, YamlEntry> yaml) {
        static final Contents EMPTY = new Contents(Map.of(), Map.of());
    }

    private final Path file;
    private final String identity;
    private final Map<String, Entry> previous;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();
    private final Map<String, YamlEntry> previousYaml;
    private final Map<String, YamlEntry> currentYaml = new ConcurrentHashMap<>();

    private ParseCache(Path file, String identity, Contents previous) {
        this.file = file;
        this.identity = identity;
        this.previous = previous.models();
        this.previousYaml = previous.yaml();
    }

    /** A cache that keeps nothing: {@code --no-partial-parse}, or a project inside a jar. */
    static ParseCache disabled() {
        return new ParseCache(null, "", Contents.EMPTY);
    }

    /**
     * Reads the cache in {@code targetDir}, trusting it only if it was written by this build for this
     * project with these macros; anything else reads as empty.
     */
    static ParseCache open(Path targetDir, Path projectRoot, String projectName, Map<String, String> macroTexts) {
        Path file = targetDir.resolve(FILE_NAME);
        String identity = ParseCacheFile.identity(projectRoot, projectName, macroTexts);
        return new ParseCache(file, identity, ParseCacheFile.read(file, identity));
    }

    boolean enabled() {
        return file != null;
    }

    /** How many model entries the file on disk gave (0 when it was missing or not trusted). */
    int previousSize() {
        return previous.size();
    }

    /**
     * The cached parse of the model at {@code path}, if its text still hashes to {@code textHash} and
     * the vars it read still have the values it saw. Names are the caller's to re-check
     * ({@link Entry#namesUnchanged}).
     */
    Entry lookup(String path, String textHash, Map<String, Object> vars) {
        Entry entry = previous.get(path);
        if (entry == null || !entry.textHash().equals(textHash)) {
            return null;
        }
        for (Map.Entry<String, String> read : entry.varsRead().entrySet()) {
            if (!read.getValue().equals(varValue(vars, read.getKey()))) {
                return null;
            }
        }
        return entry;
    }

    /**
     * The parse of the YAML file at {@code path} kept last time, if its text still hashes to
     * {@code textHash} (and is kept for the next load); {@code null}: parse it.
     */
    SchemaFile yaml(String path, String textHash) {
        YamlEntry entry = previousYaml.get(path);
        if (entry == null || !entry.textHash().equals(textHash)) {
            return null;
        }
        SchemaFile schema = SchemaJson.decode(entry.json());
        if (schema != null) {
            currentYaml.put(path, entry);
        }
        return schema;
    }

    /** Keeps the parse of the YAML file at {@code path} for the next load, if it reads back exactly. */
    void recordYaml(String path, String textHash, SchemaFile schema) {
        if (!enabled()) {
            return;
        }
        String json = SchemaJson.encode(schema);
        if (json != null) {
            currentYaml.put(path, new YamlEntry(path, textHash, json));
        }
    }

    /** Keeps {@code entry} for the next load. */
    void record(Entry entry) {
        if (enabled()) {
            current.put(entry.path(), entry);
        }
    }

    /**
     * Writes what this load kept, unless it is exactly what was read. Never throws: a read-only folder
     * or a full disk only costs the next load its head start.
     */
    void save() {
        if (!enabled() || (current.equals(previous) && currentYaml.equals(previousYaml))) {
            return;
        }
        byte[] bytes;
        try {
            bytes = ParseCacheFile.bytes(identity, new Contents(current, currentYaml));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not encode the parse cache {}: {}", file, e.toString());
            return;
        }
        ParseCacheFile.writeWhole(file, bytes);
    }

    /** How a var read by a render is remembered: its type and value, or that it was not set. */
    static String varValue(Map<String, Object> vars, String name) {
        return VarResolver.describe(vars, name);
    }
}
