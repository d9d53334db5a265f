package dev.soma.models;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * A project shipped on the classpath (in a jar, or a classes folder), opened so that
 * {@link SomaBuilder#project(ClasspathProject)} can load it like a folder on disk. A project inside a
 * jar holds the jar open as a file system of its own; the {@code Soma} built on it closes it, or close
 * it yourself if you only need {@link #root()}.
 *
 * <pre>{@code
 * try (Soma soma = Soma.builder().project(ClasspathProject.open(MyApp.class.getClassLoader(), "analytics/project"))
 *         .warehouse(warehouse).build()) { … }
 * }</pre>
 */
public final class ClasspathProject implements AutoCloseable {

    private final Path root;
    private final FileSystem jar;

    private ClasspathProject(Path root, FileSystem jar) {
        this.root = root;
        this.jar = jar;
    }

    /**
     * Opens the folder {@code resource} (holding {@code soma_project.yml}) on the class path.
     *
     * @throws SomaException when no such project is on the class path, or its jar cannot be opened
     */
    public static ClasspathProject open(ClassLoader loader, String resource) {
        String folder = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        URL marker = loader.getResource(folder + "/soma_project.yml");
        if (marker == null) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "no project at classpath:" + folder
                    + " (no " + folder + "/soma_project.yml on the class path)");
        }
        try {
            URI uri = marker.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return new ClasspathProject(Path.of(uri).getParent(), null);
            }
            // jar:file:/…/app.jar!/folder/soma_project.yml. A file system of our own (not the JVM-wide one
            // keyed by URI), so closing it cannot pull a jar from under another instance.
            String spec = uri.getRawSchemeSpecificPart();
            int separator = spec.indexOf("!/");
            Path jarFile = Path.of(new URI(spec.substring(0, separator)));
            FileSystem jar = FileSystems.newFileSystem(jarFile, (ClassLoader) null);
            return new ClasspathProject(jar.getPath(folder), jar);
        } catch (URISyntaxException | IOException | RuntimeException e) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "cannot open the project at classpath:" + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** The project folder; inside the jar's file system while this is open. */
    public Path root() {
        return root;
    }

    /** Whether the project is read from a jar (and so holds it open until closed). */
    public boolean isInJar() {
        return jar != null;
    }

    /** Closes the jar's file system, if the project is in one. */
    @Override
    public void close() {
        if (jar != null && jar.isOpen()) {
            try {
                jar.close();
            } catch (IOException e) {
                throw new SomaException(ErrorCode.FILE_ACCESS, "cannot close " + jar + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "classpath project " + root;
    }
}
