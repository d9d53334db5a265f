package dev.soma.models.internal.window;

import dev.soma.models.api.WindowStatus;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.soma.models.internal.window.WindowState.DONE;
import static dev.soma.models.internal.window.WindowState.FAILED;
import static dev.soma.models.internal.window.WindowState.IN_PROGRESS;
import static dev.soma.models.internal.window.WindowState.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/** Walks every (from, to) pair of window states against the one table of allowed moves. */
class WindowStateTest {

    private static final Set<String> ALLOWED = Set.of(
            "PENDING->IN_PROGRESS",
            "IN_PROGRESS->DONE", "IN_PROGRESS->FAILED", "IN_PROGRESS->PENDING",
            "DONE->IN_PROGRESS", "DONE->PENDING",
            "FAILED->IN_PROGRESS", "FAILED->PENDING");

    @Test
    void everyPairIsAllowedExactlyWhenTheTableSaysSo() {
        for (WindowState from : WindowState.values()) {
            for (WindowState to : WindowState.values()) {
                assertThat(from.canMoveTo(to)).as(from + "->" + to).isEqualTo(ALLOWED.contains(from + "->" + to));
            }
        }
    }

    @Test
    void theSqlGuardsComeFromTheSameTable() {
        assertThat(WindowState.from(IN_PROGRESS)).containsExactlyInAnyOrder(PENDING, DONE, FAILED);
        assertThat(WindowState.from(DONE)).containsExactly(IN_PROGRESS);
        assertThat(WindowState.from(FAILED)).containsExactly(IN_PROGRESS);
        assertThat(WindowState.from(PENDING)).containsExactlyInAnyOrder(IN_PROGRESS, DONE, FAILED);
    }

    @Test
    void eachStateShowsAsThePublicStatusOfItsName() {
        // The ledger stores the state's name and the server prints the status's: they must be one word.
        for (WindowState state : WindowState.values()) {
            assertThat(state.status().name()).isEqualTo(state.name());
        }
        assertThat(WindowStatus.values()).hasSameSizeAs(WindowState.values());
    }
}
