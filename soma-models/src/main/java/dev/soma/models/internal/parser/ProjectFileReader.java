package dev.soma.models.internal.parser;

import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.FolderConfig;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.project.YamlReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code soma_project.yml}: the project's name, vars, folder config ({@code models:},
 * {@code seeds:}, {@code tests:}), targets and hooks. The file itself is read into {@link ProjectFile}
 * (whose {@link FolderConfig} checks the config keys); this class checks what spans the file.
 */
final class ProjectFileReader {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectFileReader.class);

    /** The project file's name. */
    static final String FILE_NAME = "soma_project.yml";
    private static final Pattern PROJECT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProjectFileReader() {
    }

    /**
     * @param given       the folder as the caller named it, for the message when it holds no project file
     * @param projectRoot that folder, absolute and normalised
     */
    static ProjectFile read(Path given, Path projectRoot, YamlReader yaml) {
        if (!Files.isRegularFile(projectRoot.resolve(FILE_NAME))) {
            throw new ProjectException(null, "no " + FILE_NAME + " in " + given
                    + "; pass the project folder with --project-dir (the one holding " + FILE_NAME + ")");
        }
        String text = ProjectFiles.read(projectRoot, FILE_NAME);
        ProjectFile settings = yaml.read(FILE_NAME, text, ProjectFile.class);
        if (settings == null || settings.name() == null) {
            throw new ProjectException(SourceLocation.of(FILE_NAME, 1),
                    "the project needs a name; add a line such as 'name: my_project'");
        }
        if (!PROJECT_NAME.matcher(settings.name()).matches()) {
            throw new ProjectException(SourceLocation.of(FILE_NAME, YamlFile.lineOf(text, "name", settings.name())),
                    "project name '" + settings.name() + "' must be letters, digits and underscores, not starting with a digit");
        }
        return settings;
    }

    /** The project's vars with {@code overrides} (command line, builder) on top. */
    static Map<String, Object> vars(ProjectFile settings, Map<String, Object> overrides) {
        Map<String, Object> vars = new LinkedHashMap<>(settings.vars());
        vars.putAll(overrides);
        return vars;
    }

    /**
     * Warns about each folder block under {@code models:} that names no folder: most often a misspelt
     * config key, or a folder that was renamed.
     *
     * @return how many warnings it gave
     */
    static int warnAboutMissingFolders(ProjectFile settings, Path root) {
        int warnings = 0;
        String section = "models";
        for (FolderConfig.FolderPath folder : settings.models().folderPaths()) {
            Path dir = root.resolve(String.join("/", folder.folders()));
            if (!Files.isDirectory(dir) && Files.isDirectory(root.resolve(ProjectFiles.MODEL_PATH))) {
                // dbt's layout: folder blocks name folders from the model path, models/
                dir = root.resolve(ProjectFiles.MODEL_PATH).resolve(String.join("/", folder.folders()));
            }
            if (!Files.isDirectory(dir)) {
                List<String> siblings = new ArrayList<>();
                try (var list = Files.list(dir.getParent())) {
                    list.filter(Files::isDirectory).forEach(p -> siblings.add(p.getFileName().toString()));
                } catch (IOException e) {
                    // no siblings to suggest
                }
                String last = folder.folders().get(folder.folders().size() - 1);
                LOG.warn("{}: {}.{} configures folder {}/, which does not exist{}; a key under {}: is a config key "
                                + "or the name of a model folder", new SourceLocation(FILE_NAME, folder.line(), 0), section,
                        String.join(".", folder.folders()), String.join("/", folder.folders()),
                        Suggestions.didYouMean(last, siblings), section);
                warnings++;
            }
        }
        return warnings;
    }
}
