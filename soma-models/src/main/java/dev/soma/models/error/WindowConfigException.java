package dev.soma.models.error;

/**
 * A windowed model's window configuration is missing or wrong ({@code granularity="2w"}, a negative
 * {@code lag}, an {@code event_time} that is not an output column). Names the model, the key and the
 * value given; the message ends with the fix.
 */
public class WindowConfigException extends ProjectException {

    private final String model;
    private final String key;
    private final String value;

    /**
     * @param key   the config key at fault, as written in config ({@code granularity}, {@code stale_lock_after})
     * @param value the value given, or {@code null} when the key is missing
     */
    public WindowConfigException(SourceLocation location, String model, String key, String value, String problem) {
        super(location, problem);
        this.model = model;
        this.key = key;
        this.value = value;
    }

    /** The windowed model. */
    public String model() {
        return model;
    }

    /** The config key at fault, as written in config ({@code event_time}, {@code granularity}, {@code lag}, …). */
    public String key() {
        return key;
    }

    /** The value given, or {@code null} when the key is missing. */
    public String value() {
        return value;
    }
}
