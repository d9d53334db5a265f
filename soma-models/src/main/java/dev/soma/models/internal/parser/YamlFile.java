package dev.soma.models.internal.parser;

import dev.soma.core.text.Checksums;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.SchemaFile;
import dev.soma.models.internal.project.YamlReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One YAML file beside the models ({@code staging/_staging.yml}, {@code sources.yml}, …), parsed, with
 * its text for the line numbers of messages about its entries.
 *
 * @param path   project-relative
 * @param schema what it declares, never {@code null}
 */
record YamlFile(String path, String text, SchemaFile schema) {

    /** A reader of one section of these files ({@code models:}, {@code seeds:}, {@code sources:}, …). */
    interface SectionReader {

        /** Takes this kind's entries from {@code file}; called for every file, in path order. */
        void readYaml(YamlFile file);
    }

    /**
     * Parses {@code paths} on all cores (or takes from {@code cache} the parse of a file whose text is
     * unchanged), then hands each file to every section reader, in path order, so the first mistake in
     * path order is the one reported. Empty files are skipped.
     *
     * @param parsed counts the files parsed rather than taken from the cache
     * @return the non-empty files, in path order
     */
    static List<YamlFile> readAll(Path root, List<String> paths, YamlReader yaml, ParseCache cache, Parallel parallel,
                                  List<SectionReader> readers, AtomicInteger parsed) {
        List<YamlFile> files = new ArrayList<>();
        parallel.inOrder(paths.size(), i -> {
            String path = paths.get(i);
            String text = ProjectFiles.read(root, path);
            if (text.isBlank()) {
                return null;
            }
            String textHash = Checksums.sha256(text);
            SchemaFile schema = cache.yaml(path, textHash);
            if (schema == null) {
                parsed.incrementAndGet();
                schema = yaml.read(path, text, SchemaFile.class);
                cache.recordYaml(path, textHash, schema);
            }
            return new YamlFile(path, text, schema);
        }, file -> {
            if (file != null) {
                files.add(file);
                readers.forEach(reader -> reader.readYaml(file));
            }
        });
        return files;
    }

    /** The 1-based line of {@code key: value} in this file, or 0. */
    int lineOf(String key, String value) {
        return lineOf(text, key, value);
    }

    /** The location of the entry {@code name: <name>} in this file. */
    SourceLocation at(String name) {
        return SourceLocation.of(path, lineOf("name", name));
    }

    /** {@code name}, which must be set: an entry under {@code section} without one is an error. */
    String requireName(String name, String section) {
        if (name == null || name.isBlank()) {
            throw new ProjectException(SourceLocation.of(path), "an entry under " + section + ": has no name; add 'name: <name>'");
        }
        return name;
    }

    /** The 1-based line of {@code key: value} in YAML text, or 0; for messages about an entry. */
    static int lineOf(String text, String key, String value) {
        Matcher matcher = Pattern.compile("^\\s*-?\\s*" + Pattern.quote(key) + "\\s*:\\s*[\"']?" + Pattern.quote(value)
                + "[\"']?\\s*(#.*)?$", Pattern.MULTILINE).matcher(text);
        if (!matcher.find()) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < matcher.start(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
