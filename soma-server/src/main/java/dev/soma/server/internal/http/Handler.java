package dev.soma.server.internal.http;

/** One endpoint. Throws {@link HttpFailure} for any answer other than success. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
