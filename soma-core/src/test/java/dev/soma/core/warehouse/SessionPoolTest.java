package dev.soma.core.warehouse;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPoolTest {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @Test
    void aReleasedSessionIsLentAgainAndTheRestAreClosedPastMaxIdle() throws SQLException {
        try (Warehouse warehouse = Warehouse.inMemory(); SessionPool pool = new SessionPool(warehouse, 1)) {
            Session first = pool.acquire();
            Session second = pool.acquire();
            assertThat(second).isNotSameAs(first);
            pool.release(first, true);
            pool.release(second, true);
            assertThat(second.jdbc().isClosed()).as("no room: closed").isTrue();
            assertThat(pool.acquire()).isSameAs(first);
        }
    }

    @Test
    void aSessionNotReusableIsClosedAndUseKeepsOnlyASessionWhoseWorkReturned() throws SQLException {
        try (Warehouse warehouse = Warehouse.inMemory(); SessionPool pool = new SessionPool(warehouse, 4)) {
            Session broken = pool.acquire();
            pool.release(broken, false);
            assertThat(broken.jdbc().isClosed()).isTrue();

            Session[] used = new Session[1];
            assertThatThrownBy(() -> pool.use(session -> {
                used[0] = session;
                throw new IllegalStateException("half way");
            })).hasMessage("half way");
            assertThat(used[0].jdbc().isClosed()).isTrue();

            long answer = pool.use(session -> session.queryLong(OWNER, "SELECT 42"));
            assertThat(answer).isEqualTo(42);
            Session last = pool.use(session -> session);
            assertThat(pool.acquire()).as("the last one, reused").isSameAs(last);
        }
    }

    @Test
    void aClosedPoolClosesItsIdleSessionsAndRefusesToLend() throws SQLException {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            SessionPool pool = new SessionPool(warehouse, 2);
            Session idle = pool.acquire();
            Session lent = pool.acquire();
            pool.release(idle, true);
            pool.close();
            assertThat(idle.jdbc().isClosed()).isTrue();
            assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            pool.release(lent, true);
            assertThat(lent.jdbc().isClosed()).as("returned after close: closed").isTrue();
            assertThat(warehouse.queryLong(OWNER, "SELECT 1")).as("the warehouse stays open").isEqualTo(1);
        }
    }
}
