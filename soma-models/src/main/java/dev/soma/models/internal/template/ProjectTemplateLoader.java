package dev.soma.models.internal.template;

import freemarker.cache.TemplateLoader;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves templates by project-relative name, from the texts the project loader already read, or from
 * files under the project root. Names that would leave the root ({@code ../../etc/passwd}, absolute
 * paths, links out) are not found: templates cannot include files outside the project.
 */
final class ProjectTemplateLoader implements TemplateLoader {

    private final Path root;
    private final Map<String, String> texts;

    ProjectTemplateLoader(Path root, Map<String, String> texts) {
        this.root = root.toAbsolutePath().normalize();
        this.texts = texts;
    }

    @Override
    public Object findTemplateSource(String name) throws IOException {
        if (texts.containsKey(name)) {
            return texts.get(name);
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            return null;
        }
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return null;
        }
        Path real = file.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            return null;
        }
        return Files.readString(real);
    }

    /** Project files do not change during a run. */
    @Override
    public long getLastModified(Object templateSource) {
        return -1;
    }

    @Override
    public Reader getReader(Object templateSource, String encoding) {
        return new StringReader((String) templateSource);
    }

    @Override
    public void closeTemplateSource(Object templateSource) {
        // nothing held open
    }

    /** The text of a template, for showing the offending line in an error; {@code null} if unknown. */
    String text(String name) {
        try {
            Object source = findTemplateSource(name);
            return source == null ? null : (String) source;
        } catch (IOException e) {
            return null;
        }
    }
}
