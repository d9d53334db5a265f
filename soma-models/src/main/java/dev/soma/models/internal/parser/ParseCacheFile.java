package dev.soma.models.internal.parser;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.models.internal.parser.ParseCache.Contents;
import dev.soma.models.internal.parser.ParseCache.Entry;
import dev.soma.models.internal.parser.ParseCache.YamlEntry;
import dev.soma.models.internal.project.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layout of {@code target/partial_parse.bin}: in a {@link CacheEnvelope} whose identity says who may read it
 * (this build of Soma, this project, these macros), the models' entries then the YAML files'. A file is trusted
 * only whole; anything else reads as empty.
 */
public final class ParseCacheFile {

    private static final Logger LOG = LoggerFactory.getLogger(ParseCacheFile.class);

    private static final String MAGIC = "soma-partial-parse";
    /** Bump when the layout or the meaning of an entry changes. */
    private static final int FORMAT = 3;
    /** Record components only: {@code isEnabled()} must not come back as {@code enabled: true}. */
    private static final ObjectMapper CONFIG_JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ParseCacheFile() {
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

    /**
     * Writes a cache file whole or not at all: into a temporary sibling, then moved over {@code file} (atomically where
     * the file system can). Never throws: a cache that cannot be written only costs the next load its head start.
     *
     * @return whether {@code file} now holds {@code bytes}
     */
    public static boolean writeWhole(Path file, byte[] bytes) {
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(temp, bytes);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not write the cache {}: {}", file, e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    /** The whole file for {@code contents}, as {@link #read} trusts it. */
    static byte[] bytes(String identity, Contents contents) throws IOException {
        return envelope(identity).seal(body(contents));
    }

    private static CacheEnvelope envelope(String identity) {
        return CacheEnvelope.of(MAGIC, FORMAT, identity);
    }

    /**
     * Who may read a cache: this format, this build of Soma (its jar's size and time, or the class
     * folder's in a test), this project's folder and name, and the macros' exact texts.
     */
    public static String identity(Path projectRoot, String projectName, Map<String, String> macroTexts) {
        StringBuilder key = new StringBuilder();
        key.append(FORMAT).append('\n').append(SomaBuild.identity()).append('\n')
                .append(projectRoot.toAbsolutePath().normalize()).append('\n').append(projectName).append('\n');
        for (Map.Entry<String, String> macro : new TreeMap<>(macroTexts).entrySet()) {
            key.append(macro.getKey()).append('\0').append(macro.getValue()).append('\0');
        }
        return java.util.HexFormat.of().formatHex(sha256(key.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static Contents read(Path file, String identity) {
        ByteBuffer body = envelope(identity).open(file);
        if (body == null) {
            return Contents.EMPTY;
        }
        try {
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            return contents(bytes);
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring the parse cache {}: {}", file, e.toString());
            return Contents.EMPTY;
        }
    }

    private static byte[] body(Contents contents) throws IOException {
        Map<String, Entry> entries = contents.models();
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
        out.writeInt(contents.yaml().size());
        for (YamlEntry entry : new TreeMap<>(contents.yaml()).values()) {
            out.writeUTF(entry.path());
            out.writeUTF(entry.textHash());
            byte[] json = entry.json().getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static Contents contents(byte[] body) throws IOException {
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
        int yamlCount = in.readInt();
        if (yamlCount < 0) {
            throw new IOException("negative YAML entry count");
        }
        Map<String, YamlEntry> yaml = new HashMap<>(yamlCount * 2);
        for (int i = 0; i < yamlCount; i++) {
            String path = in.readUTF();
            String textHash = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("a YAML entry longer than the file");
            }
            yaml.put(path, new YamlEntry(path, textHash, new String(in.readNBytes(length), StandardCharsets.UTF_8)));
        }
        if (in.available() != 0) {
            throw new IOException("bytes after the last entry");
        }
        return new Contents(entries, yaml);
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
