package dev.soma.generator;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class GenerationConfigTest {

    private static final GenerationConfig BASE = GenerationConfig.defaults(
            Clock.fixed(Instant.parse("2025-06-30T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void defaultsFollowTheDocumentation() {
        assertThat(BASE.asOf()).isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(BASE.seed()).isEqualTo(42);
        assertThat(BASE.lift()).isEqualTo(0.10);
        assertThat(BASE.replace()).isFalse();
        assertThat(BASE.plannedRows()).containsExactly(
                entry(RawTable.BOOKS, 100L), entry(RawTable.PUBLISHERS, 10L), entry(RawTable.SALES, 100L),
                entry(RawTable.INVENTORY, 50L), entry(RawTable.CAMPAIGN_EVENTS, 50L));
    }

    @Test
    void scaleMultipliesEveryCount() {
        GenerationConfig big = BASE.withScale(100_000);
        assertThat(big.rows(RawTable.SALES)).isEqualTo(10_000_000);
        assertThat(big.rows(RawTable.BOOKS)).isEqualTo(10_000_000);
        assertThat(big.rows(RawTable.PUBLISHERS)).isEqualTo(1_000_000);
        assertThat(big.rows(RawTable.INVENTORY)).isEqualTo(5_000_000);
        assertThat(big.rows(RawTable.CAMPAIGN_EVENTS)).isEqualTo(5_000_000);
        assertThat(BASE.withScale(0.001).rows(RawTable.PUBLISHERS)).as("never below one row").isEqualTo(1);
    }

    @Test
    void anExplicitCountWinsOverTheScale() {
        GenerationConfig config = BASE.withScale(10).withSales(7).withPublishers(3);
        assertThat(config.rows(RawTable.SALES)).isEqualTo(7);
        assertThat(config.rows(RawTable.PUBLISHERS)).isEqualTo(3);
        assertThat(config.rows(RawTable.BOOKS)).isEqualTo(1_000);
        assertThat(config.withSales(0).rows(RawTable.SALES)).isZero();
    }

    @Test
    void withCopiesLeaveTheOriginalAlone() {
        GenerationConfig changed = BASE.withSeed(7).withLift(0).withThreads(4).withReplace(true).withSalesWindowDays(30);
        assertThat(BASE.seed()).isEqualTo(42);
        assertThat(changed).extracting(GenerationConfig::seed, GenerationConfig::lift, GenerationConfig::threads,
                GenerationConfig::replace, GenerationConfig::salesWindowDays).containsExactly(7L, 0.0, 4, true, 30);
        assertThat(changed.salesStart()).isEqualTo(LocalDate.of(2025, 5, 31));
        assertThat(BASE.withSeed(7)).isEqualTo(BASE.withSeed(7)).isNotEqualTo(BASE);
    }

    @Test
    void badValuesNameTheField() {
        assertInvalid(() -> BASE.withScale(0), "scale must be a number greater than 0, got 0.0");
        assertInvalid(() -> BASE.withScale(Double.NaN), "scale must be");
        assertInvalid(() -> BASE.withSales(-1), "sales must be 0 or more, got -1");
        assertInvalid(() -> BASE.withBooks(-5), "books must be 0 or more, got -5");
        assertInvalid(() -> BASE.withPublishers(-1), "publishers must be 0 or more");
        assertInvalid(() -> BASE.withInventory(-1), "inventory must be 0 or more");
        assertInvalid(() -> BASE.withCampaigns(-1), "campaigns must be 0 or more");
        assertInvalid(() -> BASE.withLift(-1), "lift must be between -0.9 and 10");
        assertInvalid(() -> BASE.withLift(Double.NaN), "lift must be between");
        assertInvalid(() -> BASE.withThreads(-1), "threads must be between 0");
        assertInvalid(() -> BASE.withSalesWindowDays(0), "salesWindowDays must be between 1 and 36500, got 0");
        assertInvalid(() -> BASE.withAsOf(null), "asOf must be set");
        assertInvalid(() -> BASE.withBooks(GenerationConfig.MAX_BOOKS + 1), "books must be at most 2000000000");
        assertInvalid(() -> BASE.withScale(1e8), "books must be at most 2000000000 (ISBN-13 has no more numbers), got 10000000000 from scale");
    }

    @Test
    void foreignKeysNeedTheirTargets() {
        assertInvalid(() -> BASE.withBooks(0), "books must be at least 1 when there are sales or inventory rows");
        assertInvalid(() -> BASE.withPublishers(0), "publishers must be at least 1 when there are books");
        GenerationConfig empty = BASE.withSales(0).withInventory(0).withBooks(0).withPublishers(0);
        assertThat(empty.rows(RawTable.BOOKS)).isZero();
    }

    private static void assertInvalid(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(SomaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageStartingWith(message);
    }
}
