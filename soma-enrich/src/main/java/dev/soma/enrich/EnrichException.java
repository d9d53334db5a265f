package dev.soma.enrich;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * A book service could not be asked or gave an answer that cannot be read: the message names the
 * service and the URL (never the API key) and what to do.
 */
public class EnrichException extends SomaException {

    private final String service;

    public EnrichException(String service, String message) {
        super(ErrorCode.SOURCE_UNAVAILABLE, service + ": " + message);
        this.service = service;
    }

    public EnrichException(String service, String message, Throwable cause) {
        super(ErrorCode.SOURCE_UNAVAILABLE, service + ": " + message, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
