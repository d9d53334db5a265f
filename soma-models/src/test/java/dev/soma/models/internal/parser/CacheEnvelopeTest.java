package dev.soma.models.internal.parser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CacheEnvelopeTest {

    private static final CacheEnvelope ENVELOPE = CacheEnvelope.of("soma-test-cache", 1, "who may read");

    @TempDir
    Path dir;

    @Test
    void aSealedFileOpensToItsBody() throws Exception {
        Path file = write(ENVELOPE.seal(body()));
        assertThat(text(ENVELOPE.open(file))).isEqualTo("the body");
    }

    @Test
    void anyOtherFileOpensToNothing() throws Exception {
        byte[] sealed = ENVELOPE.seal(body());
        assertThat(ENVELOPE.open(dir.resolve("missing.bin"))).isNull();
        assertThat(ENVELOPE.open(write(Arrays.copyOf(sealed, sealed.length - 1)))).as("torn").isNull();
        byte[] damaged = sealed.clone();
        damaged[damaged.length - 6] ^= 1;
        assertThat(ENVELOPE.open(write(damaged))).as("a byte of the body flipped").isNull();
        Path file = write(sealed);
        assertThat(CacheEnvelope.of("soma-test-cache", 1, "someone else").open(file)).as("other identity").isNull();
        assertThat(CacheEnvelope.of("soma-test-cache", 2, "who may read").open(file)).as("other format").isNull();
        assertThat(CacheEnvelope.of("soma-other-cache", 1, "who may read").open(file)).as("other kind").isNull();
        assertThat(ENVELOPE.open(write(new byte[]{1, 2, 3}))).as("garbage").isNull();
    }

    private static byte[] body() {
        return "the body".getBytes(StandardCharsets.UTF_8);
    }

    private Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "cache", ".bin");
        Files.write(file, bytes);
        return file;
    }

    private static String text(ByteBuffer body) {
        assertThat(body).isNotNull();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
