package dev.soma.models.internal.listing;

import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.parser.ParseCacheFile;
import dev.soma.models.internal.parser.ProjectFingerprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The listing of a whole project ({@code soma ls} with no selection: every node's {@link NodeInfo}, in listing
 * order) kept in {@code target/ls_snapshot.bin} with the {@link ProjectFingerprint} of the inputs it was made
 * from, so listing an unchanged project reads one file instead of loading the project (dbt's saved manifest,
 * for {@code ls}).
 *
 * <p>Never stale: a snapshot is read only when its fingerprint's key equals the one just taken (every file's
 * path, size, time and inode, the vars, the target, this build of Soma), and written only from a listing that
 * the full load made and only when that fingerprint is settled (no file changed within 2 s of the walk). The
 * file is trusted only whole: magic word, format, key, the nodes and a CRC-32C of them; anything else is
 * ignored, and a load replaces it. Written through {@link ParseCacheFile#writeWhole}, so never half a file.
 */
public final class ListingSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(ListingSnapshot.class);

    /** The snapshot's file name inside the target folder. */
    public static final String FILE_NAME = "ls_snapshot.bin";

    private static final String MAGIC = "soma-ls-snapshot";
    /** Bump when the layout or what a listing holds changes. */
    private static final int FORMAT = 1;
    private static final ResourceType[] TYPES = ResourceType.values();

    private ListingSnapshot() {
    }

    /** The listing kept in {@code targetDir} for exactly these inputs, or {@code null}: missing, other inputs, untrusted. */
    public static List<NodeInfo> read(Path targetDir, ProjectFingerprint fingerprint) {
        Path file = targetDir.resolve(FILE_NAME);
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.debug("could not read {}: {}", file, e.toString());
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != FORMAT || !fingerprint.key().equals(in.readUTF())) {
                LOG.debug("{} is of another format or other inputs: the project is loaded", file);
                return null;
            }
            int length = in.readInt();
            if (length < 0 || length != in.available() - Integer.BYTES) {
                LOG.debug("{} is truncated: the project is loaded", file);
                return null;
            }
            int bodyStart = all.length - Integer.BYTES - length;
            CRC32C crc = new CRC32C();
            crc.update(all, bodyStart, length);
            in.skipNBytes(length);
            if (in.readInt() != (int) crc.getValue()) {
                LOG.debug("{} fails its checksum: the project is loaded", file);
                return null;
            }
            return nodes(new DataInputStream(new ByteArrayInputStream(all, bodyStart, length)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} cannot be read: {}", file, e.toString());
            return null;
        }
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
            ByteArrayOutputStream body = new ByteArrayOutputStream(nodes.size() * 160);
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(nodes.size());
            for (NodeInfo node : nodes) {
                write(out, node);
            }
            out.flush();
            byte[] bodyBytes = body.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(bodyBytes);
            ByteArrayOutputStream whole = new ByteArrayOutputStream(bodyBytes.length + 128);
            DataOutputStream file = new DataOutputStream(whole);
            file.writeUTF(MAGIC);
            file.writeInt(FORMAT);
            file.writeUTF(fingerprint.key());
            file.writeInt(bodyBytes.length);
            file.write(bodyBytes);
            file.writeInt((int) crc.getValue());
            file.flush();
            return ParseCacheFile.writeWhole(targetDir.resolve(FILE_NAME), whole.toByteArray());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not encode the listing snapshot: {}", e.toString());
            return false;
        }
    }

    private static void write(DataOutputStream out, NodeInfo node) throws IOException {
        string(out, node.uniqueId());
        string(out, node.name());
        out.writeByte(node.resourceType().ordinal());
        string(out, node.path());
        out.writeBoolean(node.relation() != null);
        if (node.relation() != null) {
            string(out, node.relation().schema());
            string(out, node.relation().identifier());
        }
        string(out, node.materialized());
        strings(out, node.tags());
        strings(out, node.dependsOn());
        string(out, node.description());
    }

    private static List<NodeInfo> nodes(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String uniqueId = string(in);
            String name = string(in);
            ResourceType type = TYPES[in.readUnsignedByte()];
            String path = string(in);
            Relation relation = in.readBoolean() ? new Relation(string(in), string(in)) : null;
            nodes.add(new NodeInfo(uniqueId, name, type, path, relation, string(in), strings(in), strings(in), string(in)));
        }
        if (in.available() != 0) {
            throw new IOException("bytes after the last node");
        }
        return List.copyOf(nodes);
    }

    /** Length-prefixed UTF-8 (-1: {@code null}); {@code writeUTF} stops at 64 KB, a description may not. */
    private static void string(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> texts) throws IOException {
        out.writeInt(texts.size());
        for (String text : texts) {
            string(out, text);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count == 0) {
            return List.of();
        }
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            texts[i] = string(in);
        }
        return List.of(texts);
    }
}
