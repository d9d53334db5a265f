package dev.soma.core.engine;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.UnknownEngineException;
import dev.soma.core.warehouse.DuckDbEngine;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EnginesTest {

    private final Engines engines = Engines.onClassPath();

    @Test
    void theDefaultEngineIsFoundByNameAndWhenNoneIsNamed() {
        assertThat(engines.defaultName()).isEqualTo(DuckDbEngine.NAME);
        assertThat(engines.provider(null).name()).isEqualTo(DuckDbEngine.NAME);
        assertThat(engines.provider(" DuckDB ").name()).isEqualTo(DuckDbEngine.NAME);
        assertThat(engines.names()).contains(DuckDbEngine.NAME);
    }

    @Test
    void aMisspeltEngineGetsTheClosestKnownName() {
        UnknownEngineException e = catchThrowableOfType(UnknownEngineException.class, () -> engines.provider("sparkk"));
        assertThat(e.engine()).isEqualTo("sparkk");
        assertThat(e.missingModule()).isEmpty();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).isEqualTo("unknown engine 'sparkk' (did you mean 'spark'?); engines: duckdb, spark");
    }

    @Test
    void anUnrelatedNameGetsNoSuggestion() {
        UnknownEngineException e = catchThrowableOfType(UnknownEngineException.class, () -> engines.provider("oracle"));
        assertThat(e.getMessage()).isEqualTo("unknown engine 'oracle'; engines: duckdb, spark");
    }

    @Test
    void aKnownEngineWhoseModuleIsMissingSaysWhichModuleToAdd() {
        UnknownEngineException e = catchThrowableOfType(UnknownEngineException.class, () -> engines.provider("spark"));
        assertThat(e.missingModule()).contains("soma-spark");
        assertThat(e.getMessage()).isEqualTo("engine 'spark' is not on the class path: add the soma-spark module "
                + "(its jar and dependencies; see docs/engines.md)");
    }

    @Test
    void theProviderOpensAWarehouseOnItsEngineWithTheTargetsSettings() {
        EngineProvider provider = engines.provider("duckdb");
        try (Warehouse warehouse = provider.open(new EngineTarget("dev", null,
                Map.of("settings", Map.of("threads", 1)), null, false))) {
            assertThat(warehouse.engine()).isSameAs(provider.engine(Map.of()));
            assertThat(warehouse.session().engine()).isSameAs(warehouse.engine());
            assertThat(warehouse.queryLong(dev.soma.core.warehouse.SqlOwner.soma("check"),
                    "SELECT current_setting('threads')")).isEqualTo(1);
        }
    }
}
