package dev.soma.ingest.internal.load;

import dev.soma.core.concurrent.Completions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The files a load reads, as {@code soma_meta.ingest_files} will remember them, hashed on a thread of their own while
 * DuckDB reads them.
 *
 * <p>A file's SHA-256 is one full read of it in Java: 0.8 s for an 800 MB file, 7% of loading it, which done before
 * the load (as it was) adds straight to its time. Nothing needs the hash before the load's transaction, so it is
 * computed beside the read; {@link #files} waits for it there. A file that changes while it is read and hashed is a
 * race either way, as it was when the hash came first.
 */
public final class FilesRead {

    private static final FilesRead NONE = new FilesRead(CompletableFuture.completedFuture(List.of()));

    private final CompletableFuture<List<LoadedFile>> files;

    private FilesRead(CompletableFuture<List<LoadedFile>> files) {
        this.files = files;
    }

    /** No files (an API source). */
    public static FilesRead none() {
        return NONE;
    }

    /** Starts hashing the files at {@code paths} (absolute, normalized) on a daemon thread. */
    public static FilesRead hashing(List<String> paths) {
        if (paths.isEmpty()) {
            return NONE;
        }
        List<String> copy = List.copyOf(paths);
        CompletableFuture<List<LoadedFile>> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                List<LoadedFile> hashed = new ArrayList<>(copy.size());
                copy.forEach(path -> hashed.add(LoadedFile.of(path)));
                future.complete(List.copyOf(hashed));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "soma-file-hash");
        thread.setDaemon(true);
        thread.start();
        return new FilesRead(future);
    }

    /** The files with their size, modification time and hash, once hashed (waits for the hashing thread). */
    public List<LoadedFile> files() {
        return Completions.join(files);
    }
}
