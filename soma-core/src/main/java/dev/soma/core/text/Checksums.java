package dev.soma.core.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content checksums, for telling whether compiled SQL or a file changed between runs. */
public final class Checksums {

    // One digest per thread, reset by each digest(): a run of 10,000 models takes some 50,000 checksums, and looking up
    // the provider for each was a third of their cost.
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Checksums::newSha256);

    private Checksums() {
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
