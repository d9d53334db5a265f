package dev.soma.models.internal.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads project YAML into records, strictly: an unknown key, a wrong type, a duplicate key or a
 * syntax error is a {@link ProjectException} naming the file, line and column, and for unknown keys
 * the closest valid one.
 *
 * <p>Thread-safe.
 */
public final class YamlReader {

    private final YAMLMapper mapper;

    public YamlReader() {
        this.mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Parses {@code text} (the content of {@code file}, a project-relative path used in messages).
     * An empty file reads as {@code null}.
     */
    public <T> T read(String file, String text, Class<T> type) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw translate(file, text, e);
        }
    }

    /** Parses a small YAML value given on the command line, e.g. {@code --vars '{start: 2024-01-01}'}. */
    public Map<String, Object> readMap(String what, String text) {
        try {
            Object value = mapper.readValue(text, Object.class);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new ProjectException(null, what + " must be a YAML mapping such as '{key: value}', got: " + text);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        } catch (JsonProcessingException e) {
            throw new ProjectException(null, what + " is not valid YAML: " + firstLine(e.getOriginalMessage())
                    + "; write it as '{key: value, other: 2}'", e);
        }
    }

    private ProjectException translate(String file, String text, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        SourceLocation where = location == null ? SourceLocation.of(file)
                : new SourceLocation(file, location.getLineNr(), location.getColumnNr());
        String problem;
        MarkedYAMLException syntax = yamlSyntax(e);
        if (syntax != null) {
            where = new SourceLocation(file, syntax.getProblemMark().getLine() + 1, syntax.getProblemMark().getColumn() + 1);
            String context = syntax.getContext() == null ? "" : syntax.getContext() + ": ";
            problem = "invalid YAML: " + context + syntax.getProblem() + "; check the indentation and brackets on this line and the one above";
        } else if (e instanceof UnrecognizedPropertyException unknown) {
            where = locateKey(file, text, unknown.getPropertyName(), where);
            List<String> known = names(unknown.getKnownPropertyIds());
            problem = "unknown key '" + unknown.getPropertyName() + "'" + in(unknown)
                    + Suggestions.didYouMean(unknown.getPropertyName(), known)
                    + "; valid keys here: " + String.join(", ", known);
        } else if (e instanceof InvalidFormatException format) {
            problem = "'" + format.getValue() + "' is not a valid " + typeName(format.getTargetType()) + in(format);
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !mismatch.getOriginalMessage().startsWith("expected")) {
            String key = path(mismatch);
            problem = (key.isEmpty() ? "wrong type" : key + " has the wrong type") + ": expected a "
                    + typeName(mismatch.getTargetType()) + got(text, where)
                    + (Collection.class.isAssignableFrom(mismatch.getTargetType()) ? "; write one item per line, each starting with '- '" : "");
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            problem = "duplicate key " + e.getOriginalMessage().substring("Duplicate field ".length())
                    + "; each key may appear once in a mapping";
        } else {
            problem = firstLine(e.getOriginalMessage());
        }
        return new ProjectException(where, problem, e);
    }

    private static MarkedYAMLException yamlSyntax(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return marked;
            }
        }
        return null;
    }

    /**
     * Jackson reports an unknown key where the parser stopped, often the line after; the key itself
     * is the nearest line at or above that spells {@code key:}.
     */
    private static SourceLocation locateKey(String file, String text, String key, SourceLocation reported) {
        String[] lines = text.split("\r?\n", -1);
        Pattern keyLine = Pattern.compile("^(\\s*(?:-\\s+)?)[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
        int from = Math.min(Math.max(reported.line(), 1), lines.length);
        for (int line = from; line >= 1; line--) {
            Matcher matcher = keyLine.matcher(lines[line - 1]);
            if (matcher.find()) {
                return new SourceLocation(file, line, matcher.group(1).length() + 1);
            }
        }
        return reported;
    }

    /** {@code " under models[0].config"} from the mapping path, or empty. */
    private static String in(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.size() <= 1) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference reference : path.subList(0, path.size() - 1)) {
            if (reference.getFieldName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.isEmpty() ? "" : " under " + text;
    }

    /** The full key path of the value that failed, e.g. {@code models[0].columns}. */
    private static String path(JsonMappingException e) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    /** What the YAML held instead, read from the line Jackson stopped at, e.g. {@code , got 5}. */
    private static String got(String text, SourceLocation where) {
        if (text == null || where.line() <= 0 || where.column() <= 0) {
            return "";
        }
        String[] lines = text.split("\r?\n", -1);
        if (where.line() > lines.length || where.column() > lines[where.line() - 1].length() + 1) {
            return "";
        }
        String value = lines[where.line() - 1].substring(where.column() - 1).strip();
        return value.isEmpty() || value.length() > 40 ? "" : ", got " + value;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "mapping";
        }
        return type == String.class ? "string" : type.getSimpleName();
    }

    private static List<String> names(Collection<Object> ids) {
        List<String> names = new ArrayList<>();
        if (ids != null) {
            ids.forEach(id -> names.add(String.valueOf(id)));
        }
        names.sort(null);
        return names;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
