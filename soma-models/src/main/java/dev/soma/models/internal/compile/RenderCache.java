package dev.soma.models.internal.compile;

import dev.soma.core.text.Checksums;
import dev.soma.models.internal.parser.CacheEnvelope;
import dev.soma.models.internal.parser.ParseCacheFile;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import freemarker.template.TemplateModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The compile render of each model as the last run made it, kept in {@code target/compile_cache.bin}, so an
 * unchanged model is not rendered again (the second render; the parse cache covers the first).
 *
 * <p>Correct before fast. A render is a function of the model's text, the macro files, the vars it read, what
 * each {@code ref} and {@code source} it called resolved to, {@code this}, {@code is_incremental()} and the
 * engine (whose dialect spells the cross-engine macros): nothing else reaches a template (no clock but
 * FreeMarker's {@code .now}, no environment, no database). An entry is reused only when the text hashes
 * the same, the macros are byte-identical (they are in the file's identity), {@code this}, the flag and the
 * engine are equal, every var it read has the same value, and every {@code ref} and {@code source} it
 * called, asked again now (so {@code --defer}, {@code --empty}, another schema or alias of the upstream all
 * count), answers the same. A template that may read something else is never cached: one that includes or
 * imports another file, or reads {@code .now}; windowed models (their window is a parameter) and hooks are
 * rendered every time.
 *
 * <p>The file is trusted only whole ({@link CacheEnvelope}: format, this build of Soma, this project, these macros,
 * a CRC-32C of the body), written to a temporary file and moved into place; failing to write costs the next run only
 * its head start. Entries are read on the first lookup, so commands that compile nothing never read it.
 *
 * <p>Thread-safe: workers look up and record concurrently.
 */
public final class RenderCache {

    private static final Logger LOG = LoggerFactory.getLogger(RenderCache.class);

    /** The cache's file name inside the target folder. */
    public static final String FILE_NAME = "compile_cache.bin";

    private static final String MAGIC = "soma-compile-cache";
    /** Bump when the layout or the meaning of an entry changes. */
    private static final int FORMAT = 2;

    /** One model's render and what it depended on besides its text and the macros. */
    record Entry(String engine, String textHash, String self, boolean incremental, Map<String, String> refs,
                 Map<String, String> sources, Map<String, String> vars, String body) {
    }

    private final Path file;
    private final Project project;
    private volatile Loaded loaded;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();
    private volatile boolean changed;
    private final java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();

    private record Loaded(String identity, Map<String, Entry> previous) {
    }

    private RenderCache(Path file, Project project) {
        this.file = file;
        this.project = project;
    }

    /** A cache that keeps nothing. */
    public static RenderCache disabled() {
        return new RenderCache(null, null);
    }

    /**
     * The cache of {@code project} in {@code targetDir}; disabled when {@code enabled} is false
     * ({@code --no-partial-parse}), for a project inside a jar, or when a macro file includes, imports or
     * reads the clock.
     */
    public static RenderCache open(Path targetDir, Project project, boolean enabled) {
        if (!enabled || targetDir == null || project.root().getFileSystem() != FileSystems.getDefault()
                || targetDir.getFileSystem() != FileSystems.getDefault()
                || project.templates().macroTexts().values().stream().anyMatch(text -> !cacheable(text))) {
            return disabled();
        }
        return new RenderCache(targetDir.resolve(FILE_NAME), project);
    }

    /**
     * Whether a template's text can only depend on what an entry records: no {@code #include} or
     * {@code #import} of other files, no {@code .now}. Conservative: the words anywhere (a comment, a string)
     * make it uncacheable.
     */
    static boolean cacheable(String text) {
        return !text.contains("#include") && !text.contains("#import") && !text.contains(".now");
    }

    boolean enabled() {
        return file != null;
    }

    /**
     * The cached render of {@code model} if nothing it depends on changed, else {@code null}. {@code probe}
     * is a fresh context of this compile: every recorded {@code ref} and {@code source} is asked of it again,
     * so after a hit it knows the ephemeral models the render used, in the same order.
     */
    String lookup(ModelNode model, String engine, CompileContext probe) {
        if (!enabled()) {
            return null;
        }
        String text = project.templates().text(model.path());
        Entry entry = loaded().previous().get(model.path());
        if (text == null || entry == null || !entry.engine().equals(engine) || entry.incremental() != probe.isIncremental()
                || !entry.self().equals(probe.self()) || !entry.textHash().equals(Checksums.sha256(text))) {
            return null;
        }
        for (Map.Entry<String, String> read : entry.vars().entrySet()) {
            if (!read.getValue().equals(probe.varState(read.getKey()))) {
                return null;
            }
        }
        try {
            for (Map.Entry<String, String> ref : entry.refs().entrySet()) {
                if (!ref.getValue().equals(probe.ref(ref.getKey()))) {
                    return null;
                }
            }
            for (Map.Entry<String, String> source : entry.sources().entrySet()) {
                String[] parts = source.getKey().split("\u0000", 2);
                if (!source.getValue().equals(probe.source(parts[0], parts[1]))) {
                    return null;
                }
            }
        } catch (TemplateModelException e) {
            return null; // gone or renamed: the render gives the real error
        }
        current.put(model.path(), entry);
        hits.incrementAndGet();
        return entry.body();
    }

    /**
     * Reads the cache's file on {@code executor} now instead of at the first lookup (a lookup meanwhile waits for it).
     * Nothing for a disabled cache; a file that cannot be read is ignored as it would be at the first lookup.
     */
    void preload(Executor executor) {
        if (enabled() && loaded == null) {
            executor.execute(this::loaded);
        }
    }

    /** How many lookups this cache answered. */
    int hits() {
        return hits.get();
    }

    /** Keeps the render {@code body} of {@code model} made with {@code context}, if its text may be cached. */
    void record(ModelNode model, String engine, CompileContext context, String body) {
        if (!enabled()) {
            return;
        }
        String text = project.templates().text(model.path());
        if (text == null || !cacheable(text)) {
            return;
        }
        Map<String, String> vars = new LinkedHashMap<>();
        context.varsRead().forEach(name -> vars.put(name, context.varState(name)));
        Entry entry = new Entry(engine, Checksums.sha256(text), context.self(), context.isIncremental(),
                new LinkedHashMap<>(context.refsSeen()), new LinkedHashMap<>(context.sourcesSeen()), vars, body);
        Entry before = current.put(model.path(), entry);
        if (!entry.equals(before) && !entry.equals(loaded().previous().get(model.path()))) {
            changed = true;
        }
    }

    /**
     * Writes what was rendered, with the earlier entries of models still in the project, if anything
     * changed. Never throws: a read-only folder only costs the next run its head start.
     */
    public void save() {
        if (!enabled() || !changed) {
            LOG.debug("compile cache: {} renders reused, nothing to write", hits.get());
            return;
        }
        Set<String> paths = new HashSet<>();
        project.models().values().forEach(model -> paths.add(model.path()));
        Map<String, Entry> all = new HashMap<>();
        loaded().previous().forEach((path, entry) -> {
            if (paths.contains(path)) {
                all.put(path, entry);
            }
        });
        all.putAll(current);
        byte[] bytes;
        try {
            bytes = bytes(loaded().identity(), all);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not encode the compile cache {}: {}", file, e.toString());
            return;
        }
        if (ParseCacheFile.writeWhole(file, bytes)) {
            changed = false;
        }
    }

    private Loaded loaded() {
        Loaded ready = loaded;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (loaded == null) {
                String identity = FORMAT + ":" + ParseCacheFile.identity(project.root(), project.name(),
                        project.templates().macroTexts());
                loaded = new Loaded(identity, read(file, identity));
            }
            return loaded;
        }
    }

    private static byte[] bytes(String identity, Map<String, Entry> entries) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(entries.size() * 512 + 64);
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(entries.size());
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            CacheEnvelope.writeText(out, e.getKey());
            CacheEnvelope.writeText(out, entry.engine());
            CacheEnvelope.writeText(out, entry.textHash());
            CacheEnvelope.writeText(out, entry.self());
            out.writeBoolean(entry.incremental());
            map(out, entry.refs());
            map(out, entry.sources());
            map(out, entry.vars());
            CacheEnvelope.writeText(out, entry.body());
        }
        out.flush();
        return envelope(identity).seal(body.toByteArray());
    }

    private static CacheEnvelope envelope(String identity) {
        return CacheEnvelope.of(MAGIC, FORMAT, identity);
    }

    static Map<String, Entry> read(Path file, String identity) {
        ByteBuffer content = envelope(identity).open(file);
        if (content == null) {
            return Map.of();
        }
        try {
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            DataInputStream body = new DataInputStream(new ByteArrayInputStream(bytes));
            int count = body.readInt();
            Map<String, Entry> entries = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                String path = CacheEnvelope.readText(body);
                entries.put(path, new Entry(CacheEnvelope.readText(body), CacheEnvelope.readText(body),
                        CacheEnvelope.readText(body), body.readBoolean(), map(body), map(body), map(body),
                        CacheEnvelope.readText(body)));
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            return ignore(file, e.toString());
        }
    }

    private static Map<String, Entry> ignore(Path file, String why) {
        LOG.debug("ignoring the compile cache {}: {}", file, why);
        return Map.of();
    }

    private static void map(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            CacheEnvelope.writeText(out, e.getKey());
            CacheEnvelope.writeText(out, e.getValue());
        }
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > in.available()) {
            throw new IOException("a map of " + size + " entries past the end");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(CacheEnvelope.readText(in), CacheEnvelope.readText(in));
        }
        return map;
    }
}
