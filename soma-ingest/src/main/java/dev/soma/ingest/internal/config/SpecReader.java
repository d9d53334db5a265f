package dev.soma.ingest.internal.config;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.text.Suggestions;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.CursorSpec;
import dev.soma.ingest.spec.DeclaredAt;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.ReaderSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads the {@code ingest:} blocks of a project's source YAML files, strictly: an unknown key (with the
 * closest valid one), a wrong type, a missing required key or a contradiction ({@code merge} without a
 * key) is an {@link IngestException} naming the file, line and column.
 *
 * <p>The YAML is read as a SnakeYAML node tree, not bound to classes, because every node keeps its
 * position and the rest of the file (which soma-models owns) must be walked past without judging it.
 *
 * <p>Thread-safe (stateless).
 */
public final class SpecReader {

    static final List<String> INGEST_KEYS = List.of("csv", "http", "columns", "key", "key_fallback", "cursor", "mode");
    static final List<String> CSV_KEYS = List.of("path", "delimiter", "header", "encoding", "quote", "escape",
            "null_values");
    static final List<String> HTTP_KEYS = List.of("url", "method", "headers", "auth", "records", "pagination",
            "timeout", "retries", "backoff", "rate_limit", "max_in_flight");
    static final List<String> AUTH_KEYS = List.of("type", "name", "env");
    static final List<String> AUTH_TYPES = List.of("bearer", "header", "query");
    static final List<String> PAGINATION_KEYS = List.of("style", "page_param", "size_param", "size", "first", "next",
            "max_pages");
    static final List<String> STYLES = List.of("none", "page", "offset", "cursor", "next_link");
    static final List<String> RATE_KEYS = List.of("requests", "per");
    static final List<String> COLUMN_KEYS = List.of("name", "from", "type", "required", "pattern", "min", "max",
            "accepted_values", "isbn");
    static final List<String> CURSOR_KEYS = List.of("field", "initial", "param");
    static final List<String> ENCODINGS = List.of("utf-8", "utf-16", "latin-1");

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /**
     * Every ingestible source table declared in the YAML files of {@code projectDir}: files whose top
     * level has {@code sources:}, other than {@code soma_project.yml}; {@code target/} and hidden
     * folders are skipped.
     */
    public List<SourceSpec> readProject(Path projectDir) {
        List<SourceSpec> specs = new ArrayList<>();
        for (Path file : yamlFiles(projectDir)) {
            String label = projectDir.relativize(file).toString().replace('\\', '/');
            try {
                specs.addAll(read(label, Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return specs;
    }

    private static List<Path> yamlFiles(Path projectDir) {
        if (!Files.isDirectory(projectDir)) {
            throw new IngestException(ErrorCode.PROJECT_INVALID, null, null,
                    "project folder " + projectDir + " does not exist; pass the folder holding soma_project.yml");
        }
        try (Stream<Path> walk = Files.walk(projectDir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return (name.endsWith(".yml") || name.endsWith(".yaml")) && !name.equals("soma_project.yml");
                    })
                    .filter(p -> {
                        Path relative = projectDir.relativize(p);
                        for (Path part : relative) {
                            String s = part.toString();
                            if (s.startsWith(".") || (relative.getNameCount() > 1 && part.equals(relative.getName(0))
                                    && s.equals("target"))) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + projectDir, e);
        }
    }

    /** The ingestible source tables of one YAML document, {@code file} naming it in messages. */
    public List<SourceSpec> read(String file, String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw new IngestException(ErrorCode.PROJECT_INVALID, new DeclaredAt(file, mark.getLine() + 1, mark.getColumn() + 1),
                    null, "invalid YAML: " + e.getProblem() + "; check the indentation on this line and the one above");
        }
        if (!(root instanceof MappingNode top)) {
            return List.of();
        }
        Node sources = get(top, "sources");
        if (!(sources instanceof SequenceNode list)) {
            return List.of();
        }
        List<SourceSpec> specs = new ArrayList<>();
        for (Node sourceNode : list.getValue()) {
            if (!(sourceNode instanceof MappingNode source)) {
                continue;
            }
            String sourceName = scalar(get(source, "name"));
            String schema = scalar(get(source, "schema"));
            if (sourceName == null) {
                continue;
            }
            if (!(get(source, "tables") instanceof SequenceNode tables)) {
                continue;
            }
            for (Node tableNode : tables.getValue()) {
                if (!(tableNode instanceof MappingNode table)) {
                    continue;
                }
                Node ingest = get(table, "ingest");
                String tableName = scalar(get(table, "name"));
                if (ingest == null || tableName == null) {
                    continue;
                }
                String identifier = scalar(get(table, "identifier"));
                Ctx ctx = new Ctx(file, sourceName + "." + tableName);
                specs.add(ctx.source(keyNode(table, "ingest"), ingest, schema == null ? sourceName : schema,
                        identifier == null ? tableName : identifier));
            }
        }
        return specs;
    }

    private static Node get(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static Node keyNode(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return k;
            }
        }
        return map;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s && !s.getTag().getValue().endsWith(":null") ? s.getValue() : null;
    }

    /** Parsing state for one source table: the file and the source's name for messages. */
    private record Ctx(String file, String source) {

        DeclaredAt at(Node node) {
            return new DeclaredAt(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
        }

        IngestException error(Node node, String message) {
            return new IngestException(ErrorCode.PROJECT_INVALID, at(node), source, message);
        }

        MappingNode mapping(Node node, String what, List<String> keys) {
            if (!(node instanceof MappingNode map)) {
                throw error(node, what + " must be a mapping with keys " + String.join(", ", keys));
            }
            for (NodeTuple tuple : map.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                if (!keys.contains(key)) {
                    throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what
                            + Suggestions.didYouMean(key, keys) + "; valid keys: " + String.join(", ", keys));
                }
            }
            return map;
        }

        String string(MappingNode map, String key, String what) {
            Node node = get(map, key);
            if (node == null) {
                return null;
            }
            if (!(node instanceof ScalarNode)) {
                throw error(node, what + "." + key + " must be a single value, not a list or mapping");
            }
            return scalar(node);
        }

        String requiredString(MappingNode map, String key, String what) {
            String value = string(map, key, what);
            if (value == null || value.isBlank()) {
                throw error(map, what + " needs '" + key + "'");
            }
            return value;
        }

        boolean bool(MappingNode map, String key, String what, boolean otherwise) {
            return parsed(map, key, what, otherwise, "true or false", value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException();
            });
        }

        int integer(MappingNode map, String key, String what, int otherwise) {
            return parsed(map, key, what, otherwise, "a whole number, 0 or more", value -> {
                int n = Integer.parseInt(value.strip());
                if (n < 0) {
                    throw new IllegalArgumentException();
                }
                return n;
            });
        }

        BigDecimal decimal(MappingNode map, String key, String what) {
            return parsed(map, key, what, null, "a number", value -> new BigDecimal(value.strip()));
        }

        Duration duration(MappingNode map, String key, String what) {
            return parsed(map, key, what, null, "a duration such as 500ms, 10s, 2m or 1h", value -> {
                Matcher m = DURATION.matcher(value.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException();
                }
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            });
        }

        /**
         * The value of {@code key} read by {@code parse}, or {@code otherwise} when absent; a value {@code parse}
         * rejects (by throwing {@link IllegalArgumentException}) is an error saying what it must be.
         */
        private <T> T parsed(MappingNode map, String key, String what, T otherwise, String mustBe,
                             java.util.function.Function<String, T> parse) {
            String value = string(map, key, what);
            if (value == null) {
                return otherwise;
            }
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw error(get(map, key), what + "." + key + " must be " + mustBe + ", got '" + value + "'");
            }
        }

        List<String> strings(Node node, String what) {
            if (node == null) {
                return List.of();
            }
            if (node instanceof ScalarNode) {
                return List.of(scalar(node));
            }
            if (!(node instanceof SequenceNode seq)) {
                throw error(node, what + " must be a name or a list of names");
            }
            List<String> values = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode)) {
                    throw error(item, what + " must be a list of plain values");
                }
                values.add(scalar(item));
            }
            return values;
        }

        SourceSpec source(Node ingestKey, Node ingestNode, String schema, String table) {
            MappingNode ingest = mapping(ingestNode, "ingest", INGEST_KEYS);
            Node csv = get(ingest, "csv");
            Node http = get(ingest, "http");
            if (csv != null && http != null) {
                throw error(ingest, "ingest has both csv and http; a source table reads from one of them");
            }
            if (csv == null && http == null) {
                throw error(ingest, "ingest needs csv: (a file or glob) or http: (an API); add one of them");
            }
            ReaderSpec kind = csv != null ? csv(csv) : http(http);
            Node columnsNode = get(ingest, "columns");
            if (!(columnsNode instanceof SequenceNode columnList) || columnList.getValue().isEmpty()) {
                throw error(columnsNode == null ? ingest : columnsNode,
                        "ingest needs columns: a list of {name, type, rules}, one per column loaded");
            }
            List<ColumnSpec> columns = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (Node columnNode : columnList.getValue()) {
                ColumnSpec column = column(columnNode);
                if (!names.add(column.name())) {
                    throw error(columnNode, "column '" + column.name() + "' is declared twice");
                }
                columns.add(column);
            }
            Node keyNode = get(ingest, "key");
            List<String> key = strings(keyNode, "key");
            for (String k : key) {
                if (!names.contains(k)) {
                    throw error(keyNode, "key column '" + k + "' is not a declared column" + Suggestions.didYouMean(k, names)
                            + "; declare it under columns:");
                }
            }
            Node fallbackNode = get(ingest, "key_fallback");
            List<String> keyFallback = fallbackNode == null ? List.of() : strings(fallbackNode, "key_fallback");
            for (String k : keyFallback) {
                if (!names.contains(k)) {
                    throw error(fallbackNode, "key_fallback column '" + k + "' is not a declared column"
                            + Suggestions.didYouMean(k, names) + "; declare it under columns:");
                }
            }
            if (!keyFallback.isEmpty() && key.isEmpty()) {
                throw error(fallbackNode, "key_fallback identifies rows whose key is empty, but there is no key; add key: [column, …]");
            }
            CursorSpec cursor = null;
            Node cursorNode = get(ingest, "cursor");
            if (cursorNode != null) {
                MappingNode c = mapping(cursorNode, "cursor", CURSOR_KEYS);
                String field = requiredString(c, "field", "cursor");
                if (!names.contains(field)) {
                    throw error(cursorNode, "cursor field '" + field + "' is not a declared column"
                            + Suggestions.didYouMean(field, names) + "; declare it under columns:");
                }
                cursor = new CursorSpec(field, string(c, "initial", "cursor"), string(c, "param", "cursor"));
                if (cursor.param() != null && csv != null) {
                    throw error(cursorNode, "cursor.param is for http sources; remove it");
                }
            }
            WriteMode mode = WriteMode.APPEND;
            String modeText = string(ingest, "mode", "ingest");
            if (modeText != null) {
                List<String> modes = List.of("append", "merge", "replace");
                if (!modes.contains(modeText)) {
                    throw error(get(ingest, "mode"), "unknown mode '" + modeText + "'" + Suggestions.didYouMean(modeText, modes)
                            + "; use append, merge or replace");
                }
                mode = WriteMode.valueOf(modeText.toUpperCase(Locale.ROOT));
            }
            if (mode == WriteMode.MERGE && key.isEmpty()) {
                throw error(get(ingest, "mode"), "mode merge needs a key to merge on; add key: [column, …]");
            }
            return new SourceSpec(source, schema, table, kind, columns, key, cursor, mode, at(ingestKey), keyFallback);
        }

        CsvSpec csv(Node node) {
            if (node instanceof ScalarNode) {
                return CsvSpec.of(scalar(node));
            }
            MappingNode csv = mapping(node, "csv", CSV_KEYS);
            String encoding = string(csv, "encoding", "csv");
            if (encoding != null) {
                encoding = encoding.toLowerCase(Locale.ROOT).replace("utf8", "utf-8").replace("latin1", "latin-1");
                if (!ENCODINGS.contains(encoding)) {
                    throw error(get(csv, "encoding"), "unsupported encoding '" + encoding + "'; use one of "
                            + String.join(", ", ENCODINGS));
                }
            }
            String delimiter = string(csv, "delimiter", "csv");
            String quote = string(csv, "quote", "csv");
            String escape = string(csv, "escape", "csv");
            for (String[] single : new String[][]{{"quote", quote}, {"escape", escape}}) {
                if (single[1] != null && single[1].length() != 1) {
                    throw error(get(csv, single[0]), "csv." + single[0] + " must be one character, got '" + single[1] + "'");
                }
            }
            if (delimiter != null && delimiter.isEmpty()) {
                throw error(get(csv, "delimiter"), "csv.delimiter must not be empty");
            }
            return new CsvSpec(requiredString(csv, "path", "csv"), delimiter, bool(csv, "header", "csv", true), encoding,
                    quote, escape, nullValues(get(csv, "null_values")));
        }

        /**
         * The texts of {@code csv.null_values}, as written: {@code NULL} unquoted is the text NULL here, not YAML's null.
         * Null when absent.
         */
        List<String> nullValues(Node node) {
            if (node == null) {
                return null;
            }
            List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
            List<String> values = new ArrayList<>();
            for (Node item : items) {
                if (!(item instanceof ScalarNode s)) {
                    throw error(item, "csv.null_values must be a list of texts, e.g. ['', 'NULL', 'N/A']");
                }
                values.add(s.getValue());
            }
            if (values.isEmpty()) {
                throw error(node, "csv.null_values must name at least one text that means NULL, e.g. [''] (the default: "
                        + "only an empty unquoted field); a quoted field is never NULL");
            }
            return values;
        }

        HttpSpec http(Node node) {
            if (node instanceof ScalarNode) {
                return HttpSpec.of(scalar(node));
            }
            MappingNode http = mapping(node, "http", HTTP_KEYS);
            String method = string(http, "method", "http");
            if (method != null) {
                method = method.toUpperCase(Locale.ROOT);
                if (!method.equals("GET") && !method.equals("POST")) {
                    throw error(get(http, "method"), "http.method must be GET or POST, got '" + method + "'");
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            Node headersNode = get(http, "headers");
            if (headersNode != null) {
                if (!(headersNode instanceof MappingNode h)) {
                    throw error(headersNode, "http.headers must be a mapping of header name to value");
                }
                for (NodeTuple t : h.getValue()) {
                    String name = scalar(t.getKeyNode());
                    if (name != null && (name.equalsIgnoreCase("authorization"))) {
                        throw error(t.getKeyNode(), "do not write Authorization in headers (a secret must not be in a file); "
                                + "use auth: {type: bearer, env: YOUR_TOKEN_VARIABLE}");
                    }
                    headers.put(name, scalar(t.getValueNode()));
                }
            }
            HttpSpec.Auth auth = null;
            Node authNode = get(http, "auth");
            if (authNode != null) {
                MappingNode a = mapping(authNode, "http.auth", AUTH_KEYS);
                String type = requiredString(a, "type", "http.auth");
                if (!AUTH_TYPES.contains(type)) {
                    throw error(get(a, "type"), "unknown auth type '" + type + "'" + Suggestions.didYouMean(type, AUTH_TYPES)
                            + "; use bearer, header or query");
                }
                String name = string(a, "name", "http.auth");
                if (!type.equals("bearer") && name == null) {
                    throw error(authNode, "auth type " + type + " needs name: the " + type + " that carries the secret");
                }
                auth = new HttpSpec.Auth(type, name, requiredString(a, "env", "http.auth"));
            }
            HttpSpec.Pagination pagination = HttpSpec.Pagination.NONE;
            Node pageNode = get(http, "pagination");
            if (pageNode != null) {
                MappingNode p = mapping(pageNode, "http.pagination", PAGINATION_KEYS);
                String style = requiredString(p, "style", "http.pagination");
                if (!STYLES.contains(style)) {
                    throw error(get(p, "style"), "unknown pagination style '" + style + "'" + Suggestions.didYouMean(style, STYLES)
                            + "; use one of " + String.join(", ", STYLES));
                }
                String pageParam = string(p, "page_param", "http.pagination");
                String sizeParam = string(p, "size_param", "http.pagination");
                int size = integer(p, "size", "http.pagination", 0);
                String next = string(p, "next", "http.pagination");
                switch (style) {
                    case "page", "offset" -> {
                        if (size <= 0) {
                            throw error(pageNode, style + " pagination needs size: the number of records per page");
                        }
                        pageParam = pageParam == null ? (style.equals("page") ? "page" : "offset") : pageParam;
                        sizeParam = sizeParam == null ? (style.equals("page") ? "size" : "limit") : sizeParam;
                    }
                    case "cursor" -> {
                        if (next == null) {
                            throw error(pageNode, "cursor pagination needs next: the path to the next cursor in the response");
                        }
                        pageParam = pageParam == null ? "cursor" : pageParam;
                    }
                    default -> { }
                }
                pagination = new HttpSpec.Pagination(style, pageParam, sizeParam, size,
                        integer(p, "first", "http.pagination", style.equals("page") ? 1 : 0), next,
                        integer(p, "max_pages", "http.pagination", 0));
            }
            int rate = 0;
            Duration per = null;
            Node rateNode = get(http, "rate_limit");
            if (rateNode != null) {
                MappingNode r = mapping(rateNode, "http.rate_limit", RATE_KEYS);
                rate = integer(r, "requests", "http.rate_limit", 0);
                String perText = string(r, "per", "http.rate_limit");
                per = switch (perText == null ? "second" : perText) {
                    case "second" -> Duration.ofSeconds(1);
                    case "minute" -> Duration.ofMinutes(1);
                    case "hour" -> Duration.ofHours(1);
                    default -> throw error(get(r, "per"), "rate_limit.per must be second, minute or hour, got '" + perText + "'");
                };
            }
            return new HttpSpec(requiredString(http, "url", "http"), method, headers, auth, string(http, "records", "http"),
                    pagination, duration(http, "timeout", "http"), integer(http, "retries", "http", 3),
                    duration(http, "backoff", "http"), rate, per, integer(http, "max_in_flight", "http", 0));
        }

        ColumnSpec column(Node node) {
            if (node instanceof ScalarNode) {
                return ColumnSpec.of(scalar(node), "VARCHAR");
            }
            MappingNode c = mapping(node, "a column", COLUMN_KEYS);
            String name = requiredString(c, "name", "a column");
            String what = "column " + name;
            String pattern = string(c, "pattern", what);
            if (pattern != null) {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw error(get(c, "pattern"), what + ": pattern is not a valid regular expression: " + e.getDescription());
                }
            }
            boolean isbn = bool(c, "isbn", what, false);
            String type = string(c, "type", what);
            if (type != null && !type.matches("[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?")) {
                throw error(get(c, "type"), what + ": '" + type + "' is not a column type; use a DuckDB type such as "
                        + "VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL(10,2), DATE, TIMESTAMP or BOOLEAN");
            }
            if (isbn && type != null && !type.equalsIgnoreCase("varchar")) {
                throw error(get(c, "type"), what + ": an isbn column is stored as VARCHAR (ISBN-13 text); remove the type");
            }
            return new ColumnSpec(name, string(c, "from", what), type == null ? null : type.toUpperCase(Locale.ROOT),
                    bool(c, "required", what, false), pattern, decimal(c, "min", what), decimal(c, "max", what),
                    strings(get(c, "accepted_values"), what + ".accepted_values"), isbn);
        }
    }
}
