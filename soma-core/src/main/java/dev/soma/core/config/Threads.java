package dev.soma.core.config;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * The one rule for a thread or connection count ({@code --threads}, {@code threads:} of a target,
 * every builder's {@code threads(…)}): between {@value #MIN} and {@value #MAX}. Where a setting lets
 * the engine decide, 0 means "DuckDB's own setting" ({@link #requireOrEngineDefault}).
 */
public final class Threads {

    /** The fewest threads. */
    public static final int MIN = 1;

    /** The most threads: more is a typo, not a machine. */
    public static final int MAX = 1024;

    private Threads() {
    }

    /**
     * @param name what the count is called where the user wrote it ({@code --threads}, {@code threads})
     * @return {@code threads}
     * @throws SomaException ({@link ErrorCode#INVALID_CONFIG}) outside {@value #MIN}..{@value #MAX}
     */
    public static int require(String name, int threads) {
        if (threads < MIN || threads > MAX) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    name + " must be between " + MIN + " and " + MAX + ", got " + threads);
        }
        return threads;
    }

    /** As {@link #require}, but 0 is allowed too and means DuckDB's own setting. */
    public static int requireOrEngineDefault(String name, int threads) {
        if (threads != 0 && (threads < MIN || threads > MAX)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    name + " must be between 0 (DuckDB's setting) and " + MAX + ", got " + threads);
        }
        return threads;
    }
}
