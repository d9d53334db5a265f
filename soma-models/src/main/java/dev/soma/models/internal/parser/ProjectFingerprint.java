package dev.soma.models.internal.parser;

import dev.soma.models.internal.project.VarResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every input a project's parse can depend on, taken in one walk of the project folder without reading a file:
 * the path, size, modification time and file key (inode) of each file, and each folder's path, everywhere under
 * the project but in hidden folders and folders called {@code target} (which the parse never reads: Soma writes
 * there) and DuckDB database files ({@code *.duckdb}, {@code *.duckdb.wal}: the default database lies in the project
 * folder, and every run changes it); and the inputs that are not files: the vars given to the load, the target's name, the project's
 * absolute folder and this build of Soma ({@link SomaBuild}). Links are followed, so a linked file is stamped by
 * what it links to. Folders are walked in parallel on the common fork-join pool. The parse reads no environment variable (templates have no {@code env_var()}).
 *
 * <p>Equal keys mean the parse would read the same bytes, unless a file was rewritten with the same size within
 * the file system's time resolution of the walk: {@link #settled()} says that cannot have happened (every file
 * had last changed well before the walk), and only a settled fingerprint may stand for a parse (git's "racy
 * clean" rule). A file that changes after the walk changes its time, so the next key differs.
 */
public final class ProjectFingerprint {

    /** How long before the walk every file must have last changed (coarse file systems stamp to 2 s). */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final byte[] key;
    private final boolean settled;

    private ProjectFingerprint(byte[] key, boolean settled) {
        this.key = key;
        this.settled = settled;
    }

    /**
     * Walks {@code projectDir}.
     *
     * @param target the target's name given to the load, or {@code null}
     * @param vars   vars given to the load over the project's own
     */
    public static ProjectFingerprint take(Path projectDir, String target, Map<String, Object> vars) {
        Path root = projectDir.toAbsolutePath().normalize();
        long start = nanos(Instant.now());
        Walk walk = new Walk();
        new Folder(walk, root, "", List.of()).invoke();
        List<String> entries = new ArrayList<>(walk.entries);
        entries.sort(null);
        StringBuilder text = new StringBuilder(entries.size() * 64);
        text.append(SomaBuild.identity()).append('\n').append(root).append('\n').append(target).append('\n');
        for (String name : new TreeMap<>(vars).keySet()) {
            text.append("var ").append(name).append(VarResolver.describe(vars, name)).append('\n');
        }
        entries.forEach(entry -> text.append(entry).append('\n'));
        return new ProjectFingerprint(text.toString().getBytes(StandardCharsets.UTF_8), walk.newest.get() < start - SETTLE_NANOS);
    }

    // Entries are built with StringBuilder, not '+': each new shape of string concatenation costs a just-started JVM
    // a few generated classes (invokedynamic), ~50 ms for this walk's handful.

    /** What one walk found: an entry per file and folder, in no order, and the newest file time. */
    private static final class Walk {
        final Queue<String> entries = new ConcurrentLinkedQueue<>();
        final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
    }

    /**
     * One folder: its files stamped, its folders walked as tasks of their own (on the common fork-join pool, so the
     * stat calls of a big project are shared between cores). {@code ancestors} are the file keys of the folders above,
     * to stop at a loop of links.
     */
    private static final class Folder extends RecursiveAction {
        private final Walk walk;
        private final Path dir;
        private final String relative;
        private final List<Object> ancestors;

        Folder(Walk walk, Path dir, String relative, List<Object> ancestors) {
            this.walk = walk;
            this.dir = dir;
            this.relative = relative;
            this.ancestors = ancestors;
        }

        @Override
        protected void compute() {
            walk.entries.add(new StringBuilder(relative.length() + 2).append("d ").append(relative).toString());
            List<Folder> folders = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    String path = relative.isEmpty() ? name : new StringBuilder(relative.length() + name.length() + 1)
                            .append(relative).append('/').append(name).toString();
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(child, BasicFileAttributes.class); // through links
                    } catch (IOException e) {
                        // a broken link, or gone since the listing: the parse fails or skips it alike
                        walk.entries.add("x " + path + '\0' + e.getClass().getName());
                        continue;
                    }
                    if (attrs.isDirectory()) {
                        Object key = attrs.fileKey();
                        if (name.startsWith(".") || name.equals("target")) {
                            continue;
                        }
                        if (key != null && ancestors.contains(key)) {
                            walk.entries.add("x " + path + "\0loop");
                            continue;
                        }
                        List<Object> above = new ArrayList<>(ancestors);
                        above.add(key);
                        folders.add(new Folder(walk, child, path, above));
                    } else if (!name.endsWith(".duckdb") && !name.endsWith(".duckdb.wal")) {
                        // (the default database beside the project, which every run changes, is not an input)
                        long modified = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                        walk.newest.accumulateAndGet(modified, Math::max);
                        walk.entries.add(new StringBuilder(path.length() + 64).append("f ").append(path).append('\0').append(attrs.size())
                                .append('\0').append(modified).append('\0').append(attrs.fileKey()).toString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                walk.entries.add("x " + relative + '\0' + e.getClass().getName());
                walk.newest.set(Long.MAX_VALUE); // not settled: never kept
            }
            invokeAll(folders);
        }
    }

    /**
     * Everything above as text (UTF-8), about 80 bytes a file: compared whole rather than hashed, since a
     * SHA-256 of a megabyte costs more in a JVM that has just started than comparing it.
     */
    public byte[] key() {
        return key.clone();
    }

    /** Whether every file had last changed at least 2 s before the walk began, so no change can hide in the key. */
    public boolean settled() {
        return settled;
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }
}
