package dev.soma.models.internal.window;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.SqlOwner;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which ledger failures are a lost race to another run, tried again, and which are real errors. */
class WindowLedgerRaceTest {

    @Test
    void aWriteConflictAndAConcurrentInsertOfOneKeyAreLostRaces() {
        assertThat(WindowLedger.lostRace(failure("TransactionContext Error: Catalog write-write conflict on create with \"windows\"")))
                .isTrue();
        assertThat(WindowLedger.lostRace(failure("Constraint Error: Duplicate key \"model: m, window_start: 2024-01-01 00:00:00\" "
                + "violates primary key constraint."))).isTrue();
    }

    @Test
    void anyOtherFailureIsNot() {
        assertThat(WindowLedger.lostRace(failure("Binder Error: Referenced column \"x\" not found"))).isFalse();
        assertThat(WindowLedger.lostRace(new IllegalStateException("duplicate key in a map"))).isFalse();
    }

    private static SqlExecutionException failure(String databaseMessage) {
        return new SqlExecutionException(SqlOwner.soma("window ledger"), "SELECT 1", new SQLException(databaseMessage));
    }
}
