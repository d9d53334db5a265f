package dev.soma.models.internal.parser;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.models.internal.project.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What rendering each model found last time (its refs, sources, in-file config, the vars it read),
 * kept in {@code target/partial_parse.bin} and keyed by the model file's content, so loading an
 * unchanged project renders nothing (dbt's partial parsing).
 *
 * <p>Correct before fast. An entry is reused only when the model's text hashes the same, every macro
 * file is byte-identical (macros are included in every template, so a changed macro re-renders every
 * model), every var the render read has the same value now, and every ref and source it found still
 * exists and none it asked for in vain has appeared (otherwise the model is rendered again, which
 * gives the real error or the new answer). YAML, folder config and
 * {@code soma_project.yml} are read afresh on every load, so they need no invalidation of their own;
 * a var changed there or by {@code --vars} re-renders the models that read it.
 *
 * <p>A cache file is trusted only whole: it must carry this format, this build of Soma, this project
 * (folder and name) and a SHA-256 of its body that matches. A corrupt, truncated, foreign-version or
 * other-project file is ignored and rewritten, never used. Written to a temporary file and moved into
 * place, so a killed or concurrent writer never leaves half a file. Failing to write is not an error:
 * the next load just renders again.
 *
 * <p>Thread-safe for lookups and records made by the loader's workers.
 */
final class ParseCache {

    private static final Logger LOG = LoggerFactory.getLogger(ParseCache.class);

    /** The cache's file name inside the target folder. */
    static final String FILE_NAME = "partial_parse.bin";
    private static final String MAGIC = "soma-partial-parse";
    /** Bump when the layout or the meaning of an entry changes. */
    private static final int FORMAT = 1;
    /** Record components only: {@code isEnabled()} must not come back as {@code enabled: true}. */
    private static final ObjectMapper CONFIG_JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A model's parse result, and what it depended on besides its own text and the macros. */
    record Entry(String path, String textHash, Set<String> refs, Set<String> sources, NodeConfig config,
                 boolean windowRead, Map<String, String> varsRead, Set<String> absentRefs, Set<String> absentSources) {

        /**
         * Whether the names this render saw still answer the same: every ref and source it found exists,
         * and none it asked for in vain has appeared since.
         */
        boolean namesUnchanged(Set<String> refNames, Set<String> sourceNames) {
            return refNames.containsAll(refs) && sourceNames.containsAll(sources)
                    && absentRefs.stream().noneMatch(refNames::contains)
                    && absentSources.stream().noneMatch(sourceNames::contains);
        }
    }

    private final Path file;
    private final String identity;
    private final Map<String, Entry> previous;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();

    private ParseCache(Path file, String identity, Map<String, Entry> previous) {
        this.file = file;
        this.identity = identity;
        this.previous = previous;
    }

    /** A cache that keeps nothing: {@code --no-partial-parse}, or a project inside a jar. */
    static ParseCache disabled() {
        return new ParseCache(null, "", Map.of());
    }

    /**
     * Reads the cache in {@code targetDir}, trusting it only if it was written by this build for this
     * project with these macros; anything else reads as empty.
     */
    static ParseCache open(Path targetDir, Path projectRoot, String projectName, Map<String, String> macroTexts) {
        Path file = targetDir.resolve(FILE_NAME);
        String identity = identity(projectRoot, projectName, macroTexts);
        return new ParseCache(file, identity, read(file, identity));
    }

    boolean enabled() {
        return file != null;
    }

    /** How many entries the file on disk gave (0 when it was missing or not trusted). */
    int previousSize() {
        return previous.size();
    }

    /**
     * The cached parse of the model at {@code path}, if its text still hashes to {@code textHash} and
     * the vars it read still have the values it saw. Names are the caller's to re-check
     * ({@link Entry#namesUnchanged}).
     */
    Entry lookup(String path, String textHash, Map<String, Object> vars) {
        Entry entry = previous.get(path);
        if (entry == null || !entry.textHash().equals(textHash)) {
            return null;
        }
        for (Map.Entry<String, String> read : entry.varsRead().entrySet()) {
            if (!read.getValue().equals(varValue(vars, read.getKey()))) {
                return null;
            }
        }
        return entry;
    }

    /** Keeps {@code entry} for the next load. */
    void record(Entry entry) {
        if (enabled()) {
            current.put(entry.path(), entry);
        }
    }

    /**
     * Writes what this load kept, unless it is exactly what was read. Never throws: a read-only folder
     * or a full disk only costs the next load its head start.
     */
    void save() {
        if (!enabled() || current.equals(previous)) {
            return;
        }
        Path temp = null;
        try {
            byte[] body = body(current);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(identity);
            out.writeInt(body.length);
            out.write(body);
            out.write(sha256(body));
            out.flush();
            Files.createDirectories(file.getParent());
            temp = file.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(temp, bytes.toByteArray());
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not write the parse cache {}: {}", file, e.toString());
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * {@code config} as it comes back from the cache file (numbers in {@code meta} as JSON reads them),
     * so a model's config is the same value whether it was rendered now or read from the cache.
     */
    static NodeConfig normalized(NodeConfig config) {
        if (config == null || config.equals(NodeConfig.EMPTY)) {
            return NodeConfig.EMPTY;
        }
        try {
            return CONFIG_JSON.readValue(configJson(config), NodeConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config that cannot round-trip through JSON: " + config, e);
        }
    }

    /** How a var read by a render is remembered: its type and value, or that it was not set. */
    static String varValue(Map<String, Object> vars, String name) {
        if (!vars.containsKey(name)) {
            return "-";
        }
        Object value = vars.get(name);
        return value == null ? "=null" : "=" + value.getClass().getName() + ":" + value;
    }

    // --- the file ----------------------------------------------------------------------------------------

    /**
     * Who may read a cache: this format, this build of Soma (its jar's size and time, or the class
     * folder's in a test), this project's folder and name, and the macros' exact texts.
     */
    private static String identity(Path projectRoot, String projectName, Map<String, String> macroTexts) {
        StringBuilder key = new StringBuilder();
        key.append(FORMAT).append('\n').append(build()).append('\n')
                .append(projectRoot.toAbsolutePath().normalize()).append('\n').append(projectName).append('\n');
        for (Map.Entry<String, String> macro : new TreeMap<>(macroTexts).entrySet()) {
            key.append(macro.getKey()).append('\0').append(macro.getValue()).append('\0');
        }
        return java.util.HexFormat.of().formatHex(sha256(key.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String build() {
        String version = ParseCache.class.getPackage().getImplementationVersion();
        String where = "unknown";
        try {
            CodeSource source = ParseCache.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    where = location + ":" + Files.size(location) + ":" + Files.getLastModifiedTime(location).toMillis();
                } else {
                    where = location.toString();
                }
            }
        } catch (Exception e) {
            // an unusual class loader: the version alone identifies the build
        }
        return version + "@" + where;
    }

    private static Map<String, Entry> read(Path file, String identity) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            byte[] all = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
            if (!MAGIC.equals(in.readUTF())) {
                return ignore(file, "not a Soma parse cache");
            }
            if (in.readInt() != FORMAT) {
                return ignore(file, "another format");
            }
            if (!identity.equals(in.readUTF())) {
                return ignore(file, "written by another build of Soma, for another project or with other macros");
            }
            int length = in.readInt();
            if (length < 0 || length > in.available() - 32) {
                return ignore(file, "truncated");
            }
            byte[] body = in.readNBytes(length);
            byte[] digest = in.readNBytes(32);
            if (in.available() != 0 || !Arrays.equals(digest, sha256(body))) {
                return ignore(file, "its checksum does not match");
            }
            return entries(body);
        } catch (IOException | RuntimeException e) {
            return ignore(file, e.toString());
        }
    }

    private static Map<String, Entry> ignore(Path file, String why) {
        LOG.debug("ignoring the parse cache {}: {}", file, why);
        return Map.of();
    }

    private static byte[] body(Map<String, Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.size() * 128);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.size());
        for (Entry entry : new TreeMap<>(entries).values()) {
            out.writeUTF(entry.path());
            out.writeUTF(entry.textHash());
            strings(out, entry.refs());
            strings(out, entry.sources());
            out.writeUTF(entry.config() == null || entry.config().equals(NodeConfig.EMPTY) ? ""
                    : configJson(entry.config()));
            out.writeBoolean(entry.windowRead());
            out.writeInt(entry.varsRead().size());
            for (Map.Entry<String, String> var : new TreeMap<>(entry.varsRead()).entrySet()) {
                out.writeUTF(var.getKey());
                out.writeUTF(var.getValue());
            }
            strings(out, entry.absentRefs());
            strings(out, entry.absentSources());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static Map<String, Entry> entries(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative entry count");
        }
        Map<String, Entry> entries = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            String textHash = in.readUTF();
            Set<String> refs = strings(in);
            Set<String> sources = strings(in);
            String json = in.readUTF();
            NodeConfig config = json.isEmpty() ? NodeConfig.EMPTY : CONFIG_JSON.readValue(json, NodeConfig.class);
            boolean windowRead = in.readBoolean();
            int vars = in.readInt();
            Map<String, String> varsRead = new LinkedHashMap<>();
            for (int v = 0; v < vars; v++) {
                varsRead.put(in.readUTF(), in.readUTF());
            }
            Set<String> absentRefs = strings(in);
            Set<String> absentSources = strings(in);
            entries.put(path, new Entry(path, textHash, refs, sources, config, windowRead, Map.copyOf(varsRead),
                    absentRefs, absentSources));
        }
        if (in.available() != 0) {
            throw new IOException("bytes after the last entry");
        }
        return entries;
    }

    private static String configJson(NodeConfig config) throws JsonProcessingException {
        return CONFIG_JSON.writeValueAsString(config);
    }

    private static void strings(DataOutputStream out, Set<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static Set<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative count");
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readUTF());
        }
        return Set.copyOf(new LinkedHashSet<>(values));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
