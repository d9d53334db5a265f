package dev.soma.models.internal.artifacts;

import dev.soma.models.internal.parser.CacheEnvelope;
import dev.soma.models.internal.parser.ParseCacheFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The text of each file under {@code target/compiled} as Soma last wrote or confirmed it, kept in
 * {@code target/compiled_index.bin}, so a file whose text has not changed is neither read back nor written again.
 *
 * <p>Reading 10,000 compiled files back to compare them took a quarter of a 10,000-view re-run: two system calls each
 * (size, then contents). A file is trusted without reading it only when the index holds exactly the text to write and
 * the file is still listed in its folder (one listing per folder, not a call per file): a deleted file, or a deleted
 * folder, is written again. A file edited in place inside {@code target/compiled} keeps the edit until its model's SQL
 * changes or {@code soma clean} runs; {@code target/} is Soma's output, as in dbt.
 *
 * <p>The file is trusted only whole ({@link CacheEnvelope}), written to a temporary file and moved into place; failing
 * to read or write it costs only the comparison it saves. Thread-safe: workers ask and record concurrently.
 */
final class CompiledIndex {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledIndex.class);

    /** The index's file name inside the target folder. */
    static final String FILE_NAME = "compiled_index.bin";

    private static final String MAGIC = "soma-compiled-index";
    /** Bump when the layout or the meaning of an entry changes. */
    private static final int FORMAT = 1;

    private final Path compiledDir;
    private final Path file;
    private volatile Map<Path, String> previous;
    private final Map<Path, String> current = new ConcurrentHashMap<>();
    private volatile boolean changed;

    /** The index of the compiled files under {@code targetDir}. */
    CompiledIndex(Path targetDir) {
        this.compiledDir = targetDir.resolve("compiled").toAbsolutePath().normalize();
        this.file = targetDir.resolve(FILE_NAME);
    }

    /** Whether {@code compiled} (a file under the compiled folder) is known to hold exactly {@code text}. */
    boolean holds(Path compiled, String text) {
        Path key = compiled.toAbsolutePath().normalize();
        String known = current.get(key);
        if (known == null) {
            known = previous().get(key);
        }
        return text.equals(known);
    }

    /** {@code compiled} now holds {@code text}: written, or found so. A file outside the compiled folder is not kept. */
    void record(Path compiled, String text) {
        Path key = compiled.toAbsolutePath().normalize();
        if (!key.startsWith(compiledDir)) {
            return;
        }
        String before = current.put(key, text);
        if (!text.equals(before) && !text.equals(previous().get(key))) {
            changed = true;
        }
    }

    /** Reads the index on {@code executor} now instead of at the first question (which then waits for it). */
    void preload(Executor executor) {
        if (previous == null) {
            executor.execute(this::previous);
        }
    }

    /**
     * Writes the index if a file's text changed or was found: every file this writer recorded, and the earlier entries
     * of files still there. Never throws.
     */
    void save() {
        if (!changed) {
            return;
        }
        Map<Path, String> all = new HashMap<>(previous());
        all.putAll(current);
        byte[] bytes;
        try {
            bytes = bytes(all);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not encode the compiled-file index {}: {}", file, e.toString());
            return;
        }
        if (ParseCacheFile.writeWhole(file, bytes)) {
            changed = false;
        }
    }

    private Map<Path, String> previous() {
        Map<Path, String> ready = previous;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (previous == null) {
                previous = stillListed(read());
            }
            return previous;
        }
    }

    /** The entries whose file its folder still lists. */
    private static Map<Path, String> stillListed(Map<Path, String> entries) {
        Map<Path, Set<String>> listings = new HashMap<>();
        Map<Path, String> kept = new HashMap<>(entries.size() * 2);
        entries.forEach((path, text) -> {
            Set<String> names = listings.computeIfAbsent(path.getParent(), CompiledIndex::names);
            if (names.contains(path.getFileName().toString())) {
                kept.put(path, text);
            }
        });
        return kept;
    }

    private static Set<String> names(Path folder) {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            files.forEach(path -> names.add(path.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return Set.of(); // gone or unreadable: its files are written again
        }
        return names;
    }

    private CacheEnvelope envelope() {
        return CacheEnvelope.of(MAGIC, FORMAT, compiledDir.toString());
    }

    private Map<Path, String> read() {
        ByteBuffer content = envelope().open(file);
        if (content == null) {
            return Map.of();
        }
        try {
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int count = in.readInt();
            if (count < 0 || count > bytes.length) {
                throw new IOException(count + " entries in " + bytes.length + " bytes");
            }
            Map<Path, String> entries = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                Path path = compiledDir.resolve(CacheEnvelope.readText(in)).normalize();
                if (!path.startsWith(compiledDir)) {
                    throw new IOException("an entry outside " + compiledDir);
                }
                entries.put(path, CacheEnvelope.readText(in));
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring the compiled-file index {}: {}", file, e.toString());
            return Map.of();
        }
    }

    private byte[] bytes(Map<Path, String> entries) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(entries.size() * 256 + 64);
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(entries.size());
        for (Map.Entry<Path, String> entry : entries.entrySet()) {
            CacheEnvelope.writeText(out, compiledDir.relativize(entry.getKey()).toString());
            CacheEnvelope.writeText(out, entry.getValue());
        }
        out.flush();
        return envelope().seal(body.toByteArray());
    }
}
