package dev.soma.core.warehouse;

import dev.soma.core.engine.Engine;
import dev.soma.core.engine.EngineProvider;
import dev.soma.core.engine.EngineTarget;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.Map;
import java.util.Set;

/**
 * Provides the {@link DuckDbEngine}: opens the target's database file (or an in-memory database) and
 * applies its {@code settings:} ({@code SET key = value}, e.g. {@code {memory_limit: 4GB}}).
 */
public final class DuckDbEngineProvider implements EngineProvider {

    @Override
    public String name() {
        return DuckDbEngine.NAME;
    }

    @Override
    public Set<String> options() {
        return Set.of("settings");
    }

    @Override
    public Engine engine(Map<String, Object> options) {
        return DuckDbEngine.INSTANCE;
    }

    @Override
    public boolean usesDatabaseFile() {
        return true;
    }

    @Override
    public Warehouse open(EngineTarget target) {
        Warehouse warehouse = target.database() == null ? Warehouse.inMemory() : Warehouse.open(target.database());
        try {
            applySettings(warehouse, settings(target.options().get("settings")));
            return warehouse;
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    /** Applies {@code settings} ({@code SET key = value} each) to {@code warehouse}'s own session. */
    public static void applySettings(Warehouse warehouse, Map<String, Object> settings) {
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            warehouse.execute(new SqlOwner("target setting", setting.getKey()),
                    warehouse.engine().setting(setting.getKey(), setting.getValue()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> settings(Object value) {
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "a target's settings: must be a mapping such as "
                    + "{memory_limit: 4GB}, got: " + value);
        }
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
