package dev.soma.core.warehouse;

import dev.soma.core.error.DatabaseLockedException;
import dev.soma.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database held by a real second process gives one clear message, and frees up when it exits. */
class WarehouseLockIT {

    @Test
    void aFileHeldByAnotherProcessGivesOneClearMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shared.duckdb");
        Process holder = LockHolder.start(file);
        try {
            assertThatThrownBy(() -> Warehouse.open(file))
                    .isInstanceOfSatisfying(DatabaseLockedException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_LOCKED);
                        assertThat(e.file()).isEqualTo(file);
                        assertThat(e.holder()).contains("PID " + holder.pid());
                        assertThat(e.getMessage())
                                .isEqualTo("database " + file + " is in use by another process (" + e.holder()
                                        + "); close that process, or use another database file with --db");
                    });
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Warehouse warehouse = Warehouse.open(file)) {
            assertThat(warehouse.relationExists("main", "held")).isTrue();
        }
    }
}
