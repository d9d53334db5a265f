package dev.soma.core.config;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadsTest {

    @Test
    void oneToTenTwentyFourIsTheRange() {
        assertThat(Threads.require("--threads", 1)).isEqualTo(1);
        assertThat(Threads.require("--threads", 1024)).isEqualTo(1024);
        for (int bad : new int[]{0, -1, 1025}) {
            assertThatThrownBy(() -> Threads.require("--threads", bad))
                    .isInstanceOfSatisfying(SomaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                    .hasMessage("--threads must be between 1 and 1024, got " + bad);
        }
    }

    @Test
    void zeroMeansDuckDbsSettingWhereTheEngineMayDecide() {
        assertThat(Threads.requireOrEngineDefault("threads", 0)).isZero();
        assertThat(Threads.requireOrEngineDefault("threads", 1024)).isEqualTo(1024);
        assertThatThrownBy(() -> Threads.requireOrEngineDefault("threads", -1)).isInstanceOf(SomaException.class)
                .hasMessage("threads must be between 0 (DuckDB's setting) and 1024, got -1");
        assertThatThrownBy(() -> Threads.requireOrEngineDefault("threads", 1025)).isInstanceOf(SomaException.class);
    }
}
