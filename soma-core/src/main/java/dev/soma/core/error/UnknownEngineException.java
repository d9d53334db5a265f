package dev.soma.core.error;

import java.util.List;
import java.util.Optional;

/**
 * A target names an engine that is not available: a misspelt name, or an engine whose module is
 * not on the class path.
 */
public final class UnknownEngineException extends SomaException {

    private final String engine;
    private final List<String> available;
    private final String module;

    /**
     * @param engine    the name the target gave
     * @param available the engines on the class path
     * @param module    the module that provides {@code engine} when Soma knows it, else {@code null}
     * @param message   the full message
     */
    public UnknownEngineException(String engine, List<String> available, String module, String message) {
        super(ErrorCode.INVALID_CONFIG, message);
        this.engine = engine;
        this.available = List.copyOf(available);
        this.module = module;
    }

    /** The engine name the target gave. */
    public String engine() {
        return engine;
    }

    /** The engines on the class path, sorted. */
    public List<String> available() {
        return available;
    }

    /** The module that provides the engine, when Soma knows the name but its module is missing. */
    public Optional<String> missingModule() {
        return Optional.ofNullable(module);
    }
}
