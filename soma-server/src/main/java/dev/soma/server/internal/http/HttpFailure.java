package dev.soma.server.internal.http;

import java.util.List;

/** An answer other than success, thrown by a handler and turned into a JSON {@link ApiError} by the router. */
public final class HttpFailure extends RuntimeException {

    private final int status;
    private final List<String> known;

    public HttpFailure(int status, String message) {
        this(status, message, List.of());
    }

    public HttpFailure(int status, String message, List<String> known) {
        super(message, null, false, false);
        this.status = status;
        this.known = List.copyOf(known);
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(status, ApiError.reason(status), getMessage(), known.isEmpty() ? null : known);
    }
}
