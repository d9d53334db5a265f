package dev.soma.spark.session;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * A Spark session could not be started or reached: the master or the Spark Connect server is down,
 * or the JVM lacks Spark's options. The message is one line naming the URL and what to do.
 */
public class SparkUnavailableException extends SomaException {

    private final String url;

    public SparkUnavailableException(String url, String message, Throwable cause) {
        super(ErrorCode.DATABASE_UNAVAILABLE, message, cause);
        this.url = url;
    }

    /** The master or Spark Connect URL that could not be used. */
    public String url() {
        return url;
    }
}
