package dev.soma.models.internal.listing;

import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.parser.CacheEnvelope;
import dev.soma.models.internal.parser.ParseCacheFile;
import dev.soma.models.internal.parser.ProjectFingerprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The listing of a whole project ({@code soma ls} with no selection: every node's {@link NodeInfo}, in listing
 * order) kept in {@code target/ls_snapshot.bin} with the {@link ProjectFingerprint} of the inputs it was made
 * from, so listing an unchanged project reads one file instead of loading the project (dbt's saved manifest,
 * for {@code ls}).
 *
 * <p>Never stale: a snapshot is read only when its fingerprint's key equals the one just taken (every file's
 * path, size, time and inode, the vars, the target, this build of Soma), and written only from a listing that
 * the full load made and only when that fingerprint is settled (no file changed within 2 s of the walk). The
 * file is trusted only whole (a {@link CacheEnvelope} whose identity is the fingerprint's key, around the nodes: a
 * table of their distinct strings, then each node as indexes into it); anything else is ignored, and a load
 * replaces it. Written through {@link ParseCacheFile#writeWhole}, so never half a file.
 */
public final class ListingSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(ListingSnapshot.class);

    /** The snapshot's file name inside the target folder. */
    public static final String FILE_NAME = "ls_snapshot.bin";

    private static final String MAGIC = "soma-ls-snapshot";
    /** Bump when the layout or what a listing holds changes. */
    private static final int FORMAT = 3;
    private static final ResourceType[] TYPES = ResourceType.values();

    private ListingSnapshot() {
    }

    /** The listing kept in {@code targetDir} for exactly these inputs, or {@code null}: missing, other inputs, untrusted. */
    public static List<NodeInfo> read(Path targetDir, ProjectFingerprint fingerprint) {
        Path file = targetDir.resolve(FILE_NAME);
        ByteBuffer body = envelope(fingerprint).open(file);
        if (body == null) {
            return null;
        }
        try {
            return nodes(body);
        } catch (RuntimeException e) {
            LOG.debug("{} cannot be read: {}", file, e.toString());
            return null;
        }
    }

    private static CacheEnvelope envelope(ProjectFingerprint fingerprint) {
        return new CacheEnvelope(MAGIC, FORMAT, fingerprint.key());
    }

    /**
     * Keeps {@code nodes}, the listing a full load made from the inputs {@code fingerprint} describes, unless the
     * fingerprint is not settled. Never throws: a snapshot that cannot be written only costs the next {@code ls}.
     *
     * @return whether the snapshot was written
     */
    public static boolean write(Path targetDir, ProjectFingerprint fingerprint, List<NodeInfo> nodes) {
        if (!fingerprint.settled()) {
            LOG.debug("a project file changed in the last seconds: no listing snapshot this time");
            return false;
        }
        try {
            return ParseCacheFile.writeWhole(targetDir.resolve(FILE_NAME), envelope(fingerprint).seal(body(nodes)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not encode the listing snapshot: {}", e.toString());
            return false;
        }
    }

    /**
     * The body: every distinct string once (length-prefixed UTF-8), then each node as indexes into them (-1:
     * {@code null}); ids, types, schemas and parents repeat across nodes, so the file is smaller and reads faster.
     */
    private static byte[] body(List<NodeInfo> nodes) throws IOException {
        Map<String, Integer> table = new LinkedHashMap<>();
        ByteArrayOutputStream nodeBytes = new ByteArrayOutputStream(nodes.size() * 48);
        DataOutputStream out = new DataOutputStream(nodeBytes);
        out.writeInt(nodes.size());
        for (NodeInfo node : nodes) {
            out.writeInt(index(table, node.uniqueId()));
            out.writeInt(index(table, node.name()));
            out.writeInt(node.resourceType().ordinal());
            out.writeInt(index(table, node.path()));
            out.writeInt(node.relation() == null ? -1 : index(table, node.relation().schema()));
            out.writeInt(node.relation() == null ? -1 : index(table, node.relation().identifier()));
            out.writeInt(index(table, node.materialized()));
            indexes(out, table, node.tags());
            indexes(out, table, node.dependsOn());
            out.writeInt(index(table, node.description()));
        }
        out.flush();
        ByteArrayOutputStream body = new ByteArrayOutputStream(nodeBytes.size() + table.size() * 32);
        DataOutputStream head = new DataOutputStream(body);
        head.writeInt(table.size());
        for (String text : table.keySet()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            head.writeInt(bytes.length);
            head.write(bytes);
        }
        head.flush();
        nodeBytes.writeTo(body);
        return body.toByteArray();
    }

    private static int index(Map<String, Integer> table, String text) {
        return text == null ? -1 : table.computeIfAbsent(text, t -> table.size());
    }

    private static void indexes(DataOutputStream out, Map<String, Integer> table, List<String> texts) throws IOException {
        out.writeInt(texts.size());
        for (String text : texts) {
            out.writeInt(index(table, Objects.requireNonNull(text, "a null in a node's list")));
        }
    }

    private static List<NodeInfo> nodes(ByteBuffer in) {
        String[] table = new String[in.getInt()];
        byte[] bytes = in.array();
        for (int i = 0; i < table.length; i++) {
            int length = in.getInt();
            table[i] = new String(bytes, in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
        }
        int count = in.getInt();
        NodeInfo[] nodes = new NodeInfo[count];
        for (int i = 0; i < count; i++) {
            String uniqueId = text(table, in.getInt());
            String name = text(table, in.getInt());
            ResourceType type = TYPES[in.getInt()];
            String path = text(table, in.getInt());
            int schema = in.getInt();
            int identifier = in.getInt();
            Relation relation = schema < 0 ? null : new Relation(text(table, schema), text(table, identifier));
            nodes[i] = new NodeInfo(uniqueId, name, type, path, relation, text(table, in.getInt()), texts(table, in),
                    texts(table, in), text(table, in.getInt()));
        }
        if (in.hasRemaining()) {
            throw new IllegalStateException("bytes after the last node");
        }
        return List.of(nodes);
    }

    private static String text(String[] table, int index) {
        return index < 0 ? null : table[index];
    }

    private static List<String> texts(String[] table, ByteBuffer in) {
        int count = in.getInt();
        if (count == 0) {
            return List.of();
        }
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            texts[i] = table[in.getInt()];
        }
        return List.of(texts);
    }
}
