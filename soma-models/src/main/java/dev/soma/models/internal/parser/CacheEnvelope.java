package dev.soma.models.internal.parser;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The frame every cache file under {@code target/} shares (the parse cache, the compile cache, the listing
 * snapshot): a magic word naming the kind of cache, its format, the identity of who may read it (as bytes), the
 * body's length, the body and a CRC-32C of the body. The checksum guards against torn and damaged files, not
 * against forgery: the cache is the user's own. A file is trusted only whole: {@link #open} gives its body only when
 * every part matches, and says why not in a debug line otherwise.
 *
 * @param magic    names the kind of cache, so one cache file can never be read as another
 * @param format   bump when the body's layout or meaning changes
 * @param identity who may read it: the caller's key (build of Soma, project, inputs)
 */
public record CacheEnvelope(String magic, int format, byte[] identity) {

    private static final Logger LOG = LoggerFactory.getLogger(CacheEnvelope.class);

    /** An envelope whose identity is {@code identity}'s UTF-8 bytes. */
    public static CacheEnvelope of(String magic, int format, String identity) {
        return new CacheEnvelope(magic, format, identity.getBytes(StandardCharsets.UTF_8));
    }

    /** The whole file holding {@code body}. */
    public byte[] seal(byte[] body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + identity.length + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(magic);
            out.writeInt(format);
            out.writeInt(identity.length);
            out.write(identity);
            out.writeInt(body.length);
            out.write(body);
            out.writeInt(crc32c(body, 0, body.length));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
    }

    /**
     * The body of {@code file} if it is a whole file of this envelope (same magic, format and identity, its length
     * and checksum right), else {@code null}: missing, unreadable, of another kind, format or reader, torn or damaged.
     */
    public ByteBuffer open(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return ignore(file, e.toString());
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(all);
            int magicLength = in.getShort() & 0xFFFF;
            if (magicLength > in.remaining() || !magic.equals(new String(all, in.position(), magicLength, StandardCharsets.UTF_8))) {
                return ignore(file, "not a " + magic + " file");
            }
            in.position(in.position() + magicLength);
            if (in.getInt() != format) {
                return ignore(file, "another format");
            }
            int identityLength = in.getInt();
            if (identityLength != identity.length || identityLength > in.remaining()
                    || !Arrays.equals(all, in.position(), in.position() + identityLength, identity, 0, identityLength)) {
                return ignore(file, "written for other inputs (another build of Soma, project or inputs)");
            }
            in.position(in.position() + identityLength);
            int length = in.getInt();
            if (length < 0 || length != in.remaining() - Integer.BYTES) {
                return ignore(file, "truncated");
            }
            int start = in.position();
            if (ByteBuffer.wrap(all, start + length, Integer.BYTES).getInt() != crc32c(all, start, length)) {
                return ignore(file, "its checksum does not match");
            }
            return ByteBuffer.wrap(all, start, length).slice();
        } catch (RuntimeException e) {
            return ignore(file, e.toString());
        }
    }

    private ByteBuffer ignore(Path file, String why) {
        LOG.debug("ignoring the cache {}: {}", file, why);
        return null;
    }

    private static int crc32c(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    /** Writes {@code value} as its UTF-8 length and bytes: any length ({@code writeUTF} stops at 64 KB). */
    public static void writeText(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads what {@link #writeText} wrote; a length past the end is an {@link IOException}, never a huge array. */
    public static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a string of " + length + " bytes past the end");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
