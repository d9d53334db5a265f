package dev.soma.models.internal.parser;

import dev.soma.models.internal.project.VarResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Every input a project's parse can depend on, taken in one walk of the project folder without reading a file:
 * the path, size, modification time and file key (inode) of each file, and each folder's path, everywhere under
 * the project but in hidden folders and folders called {@code target} (which the parse never reads: Soma writes
 * there) and DuckDB database files ({@code *.duckdb}, {@code *.duckdb.wal}: the default database lies in the project
 * folder, and every run changes it); and the inputs that are not files: the vars given to the load, the target's name, the project's
 * absolute folder and this build of Soma ({@link SomaBuild}). Links are followed, so a linked file is stamped by
 * what it links to. The parse reads no environment variable (templates have no {@code env_var()}).
 *
 * <p>Equal keys mean the parse would read the same bytes, unless a file was rewritten with the same size within
 * the file system's time resolution of the walk: {@link #settled()} says that cannot have happened (every file
 * had last changed well before the walk), and only a settled fingerprint may stand for a parse (git's "racy
 * clean" rule). A file that changes after the walk changes its time, so the next key differs.
 */
public final class ProjectFingerprint {

    /** How long before the walk every file must have last changed (coarse file systems stamp to 2 s). */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String key;
    private final boolean settled;

    private ProjectFingerprint(String key, boolean settled) {
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
        List<String> entries = new ArrayList<>();
        long[] newest = {Long.MIN_VALUE};
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root)) {
                        String name = dir.getFileName().toString();
                        if (name.startsWith(".") || name.equals("target")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                    }
                    entries.add("d " + relative(root, dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".duckdb") || name.endsWith(".duckdb.wal")) {
                        return FileVisitResult.CONTINUE; // the default database beside the project, which every run changes
                    }
                    long modified = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                    newest[0] = Math.max(newest[0], modified);
                    entries.add("f " + relative(root, file) + '\0' + attrs.size() + '\0' + modified + '\0' + attrs.fileKey());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // unreadable, or a loop of links: the parse fails or skips it alike; a later change shows here
                    entries.add("x " + relative(root, file) + '\0' + e.getClass().getName());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            entries.add("x " + e);
            newest[0] = Long.MAX_VALUE;
        }
        entries.sort(null);
        StringBuilder text = new StringBuilder(entries.size() * 64);
        text.append(SomaBuild.identity()).append('\n').append(root).append('\n').append(target).append('\n');
        for (String name : new TreeMap<>(vars).keySet()) {
            text.append("var ").append(name).append(VarResolver.describe(vars, name)).append('\n');
        }
        entries.forEach(entry -> text.append(entry).append('\n'));
        return new ProjectFingerprint(sha256(text.toString()), newest[0] < start - SETTLE_NANOS);
    }

    /** A SHA-256 of everything above, in hex. */
    public String key() {
        return key;
    }

    /** Whether every file had last changed at least 2 s before the walk began, so no change can hide in the key. */
    public boolean settled() {
        return settled;
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
