package dev.soma.models.internal.parser;

import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of a project by role, as sorted project-relative paths, and what a path says about
 * the node it holds: its name ({@code marts/dim_books.sql} is {@code dim_books}) and its folders.
 *
 * @param models        {@code .sql} files outside the special folders
 * @param yaml          YAML files beside the models, seeds and tests (not {@code soma_project.yml})
 * @param macros        {@code macros/*.ftl}
 * @param seeds         {@code seeds/*.csv}
 * @param singularTests {@code tests/*.sql}
 * @param genericTests  {@code tests/generic/*.sql}, custom generic tests
 */
record ProjectFiles(List<String> models, List<String> yaml, List<String> macros, List<String> seeds,
                    List<String> singularTests, List<String> genericTests) {

    /** Top-level folders that hold something other than models. */
    private static final Set<String> SPECIAL_FOLDERS = Set.of("macros", "seeds", "tests", "analyses", "logs");

    /** Walks {@code root}, skipping hidden folders, {@code target} and the project's target path. */
    static ProjectFiles scan(Path root, String targetPath) {
        ProjectFiles files = new ProjectFiles(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = dir.getFileName().toString();
                    if (name.startsWith(".") || relative(root, dir).equals(targetPath) || name.equals("target")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (!name.startsWith(".")) {
                        files.sort(relative(root, file), name);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ProjectException(null, "cannot read project folder " + root + ": " + e.getMessage(), e);
        }
        for (List<String> list : List.of(files.models, files.yaml, files.macros, files.seeds, files.singularTests,
                files.genericTests)) {
            list.sort(null);
        }
        return files;
    }

    /** Files {@code relative} (named {@code name}) under its role, or nowhere. */
    private void sort(String relative, String name) {
        String top = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
        if (top.equals("macros")) {
            if (name.endsWith(".ftl")) {
                macros.add(relative);
            }
        } else if (top.equals("seeds")) {
            if (name.endsWith(".csv")) {
                seeds.add(relative);
            } else if (isYaml(name)) {
                yaml.add(relative);
            }
        } else if (top.equals("tests")) {
            if (relative.startsWith("tests/fixtures/")) {
                return; // unit test fixtures, read by the unit tests that name them
            }
            if (name.endsWith(".sql")) {
                (relative.startsWith("tests/generic/") ? genericTests : singularTests).add(relative);
            } else if (isYaml(name)) {
                yaml.add(relative);
            }
        } else if (SPECIAL_FOLDERS.contains(top)) {
            return;
        } else if (name.endsWith(".sql")) {
            models.add(relative);
        } else if (isYaml(name) && !relative.equals(ProjectFileReader.FILE_NAME)) {
            yaml.add(relative);
        }
    }

    private static boolean isYaml(String name) {
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The text of a project file. */
    static String read(Path root, String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProjectException(SourceLocation.of(relative), "cannot read file: " + e.getMessage(), e);
        }
    }

    /** The node a file holds is named by the file: {@code marts/dim_books.sql} gives {@code dim_books}. */
    static String name(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    /** The folders of a project-relative path, outermost first: {@code marts/finance/x.sql} gives [marts, finance]. */
    static List<String> folders(String path) {
        int last = path.lastIndexOf('/');
        if (last < 0) {
            return List.of();
        }
        List<String> folders = new ArrayList<>(4);
        for (int from = 0, slash = path.indexOf('/'); from <= last; from = slash + 1, slash = path.indexOf('/', from)) {
            folders.add(path.substring(from, slash));
        }
        return List.copyOf(folders);
    }

    /** The folder dbt keeps a project's models in (its default {@code model-paths}). */
    static final String MODEL_PATH = "models";

    /**
     * The folder the project keeps its models in, as dbt's {@code model-paths}: {@code models} when every
     * model file lies under {@code models/} (a project laid out as dbt lays one out), else {@code null} (the
     * project folder itself holds the model folders, Soma's own layout).
     */
    static String modelPath(java.util.Collection<String> modelFiles) {
        return !modelFiles.isEmpty() && modelFiles.stream().allMatch(path -> path.startsWith(MODEL_PATH + "/"))
                ? MODEL_PATH : null;
    }

    /**
     * The folders of {@code path} as dbt counts them for a fully qualified name and for folder config: from
     * the model path, which is not one of them ({@code models/sub/a.sql} gives [sub] when the model path
     * is {@code models}).
     */
    static List<String> fqnFolders(String path, String modelPath) {
        List<String> folders = folders(path);
        return modelPath != null && !folders.isEmpty() && folders.get(0).equals(modelPath)
                ? folders.subList(1, folders.size()) : folders;
    }

    /**
     * The folder config for the file at {@code path}: folder blocks name folders from the model path
     * ({@code models: {sub: …}} for {@code models/sub/}); a project whose blocks name the model path
     * itself ({@code models: {models: {sub: …}}}, as before fqns were counted from it) keeps that.
     */
    static dev.soma.models.internal.project.NodeConfig folderConfig(dev.soma.models.internal.project.FolderConfig blocks,
                                                                   String path, String modelPath) {
        return blocks.resolve(modelPath != null && blocks.children().containsKey(modelPath) ? folders(path)
                : fqnFolders(path, modelPath));
    }

    /**
     * {@code paths} by node name, sorted.
     *
     * @param kind {@code model} or {@code seed}, for the message when two files give one name
     */
    static Map<String, String> byName(List<String> paths, String kind) {
        Map<String, String> byName = new TreeMap<>();
        for (String path : paths) {
            String name = name(path);
            String previous = byName.putIfAbsent(name, path);
            if (previous != null) {
                throw new ProjectException(SourceLocation.of(path), "two " + kind + "s are called " + name + ": "
                        + previous + " and " + path + "; " + kind + " names must be unique across folders: rename one");
            }
        }
        return byName;
    }
}
