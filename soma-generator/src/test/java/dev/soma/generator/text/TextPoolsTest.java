package dev.soma.generator.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped pools of the default seed are exactly what Datafaker draws; other seeds draw. */
class TextPoolsTest {

    private static final long DEFAULT_SEED = 42;

    @Test
    void shippedPoolsOfTheDefaultSeedAreTheDrawnOnes() throws IOException {
        TextPools drawn = TextPools.draw(DEFAULT_SEED);
        String shipped = TextPools.forSeed(DEFAULT_SEED).toTsv();
        if (!shipped.equals(drawn.toTsv())) {
            // a Datafaker upgrade changed the draw: the fix is to ship the new pools
            Path fresh = Path.of("target", TextPools.SHIPPED_PREFIX + DEFAULT_SEED + ".tsv");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, drawn.toTsv());
            assertThat(shipped).as("shipped pools differ from the draw; copy " + fresh.toAbsolutePath()
                    + " to src/main/resources/dev/soma/generator/text/").isEqualTo(drawn.toTsv());
        }
        assertThat(TextPools.forSeed(DEFAULT_SEED).pools()).isEqualTo(drawn.pools());
        assertThat(TextPools.forSeed(DEFAULT_SEED).pools().keySet()).containsExactlyElementsOf(drawn.pools().keySet());
    }

    @Test
    void otherSeedsAreDrawn() {
        assertThat(TextPools.forSeed(7).toTsv()).isEqualTo(TextPools.draw(7).toTsv())
                .isNotEqualTo(TextPools.forSeed(DEFAULT_SEED).toTsv());
    }

    @Test
    void tsvRoundTrips() {
        TextPools drawn = TextPools.draw(3);
        assertThat(TextPools.parse(drawn.toTsv()).toTsv()).isEqualTo(drawn.toTsv());
        assertThat(TextPools.parse(drawn.toTsv()).size("cities")).isEqualTo(drawn.size("cities"));
    }
}
