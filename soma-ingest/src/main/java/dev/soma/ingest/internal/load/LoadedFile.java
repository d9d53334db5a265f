package dev.soma.ingest.internal.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A file a load read, as remembered in {@code soma_meta.ingest_files}: a later load of the same source skips it
 * unless it changed.
 *
 * @param path     the file's path as the glob matched it
 * @param size     its size in bytes
 * @param modified its modification time
 * @param sha256   the SHA-256 of its content, in hex
 */
public record LoadedFile(String path, long size, Instant modified, String sha256) {

    /** The file at {@code path} as it is now: size, modification time and content hash (one full read). */
    public static LoadedFile of(String path) {
        Path file = Path.of(path);
        try {
            return new LoadedFile(path, Files.size(file), Files.getLastModifiedTime(file).toInstant(), sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Whether the file at {@code path} is still this one: the same size and the same content. The modification
     * time alone is no proof either way (a copy keeps the content with a new time; a rewrite within the clock's
     * resolution keeps the time with new content), so a file of the same size is hashed.
     */
    public boolean unchanged(long sizeNow, Path file) {
        if (sizeNow != size) {
            return false;
        }
        try {
            return sha256(file).equals(sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
