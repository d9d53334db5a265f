package dev.soma.models;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * A project shipped on the classpath (in a jar, or a classes folder), as a {@link Path} that
 * {@link Soma.Builder#project(Path)} can load like a folder on disk.
 *
 * <pre>{@code
 * Path project = ClasspathProject.locate(MyApp.class.getClassLoader(), "analytics/project");
 * }</pre>
 */
public final class ClasspathProject {

    private ClasspathProject() {
    }

    /**
     * The folder {@code resource} (holding {@code soma_project.yml}) on the class path.
     *
     * @throws SomaException when no such project is on the class path
     */
    public static Path locate(ClassLoader loader, String resource) {
        String folder = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        URL marker = loader.getResource(folder + "/soma_project.yml");
        if (marker == null) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "no project at classpath:" + folder
                    + " (no " + folder + "/soma_project.yml on the class path)");
        }
        try {
            URI uri = marker.toURI();
            Path projectFile;
            if ("jar".equals(uri.getScheme())) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                projectFile = jar.provider().getPath(uri);
            } else {
                projectFile = Path.of(uri);
            }
            return projectFile.getParent();
        } catch (URISyntaxException | IOException e) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "cannot open the project at classpath:" + folder + ": " + e.getMessage(), e);
        }
    }
}
