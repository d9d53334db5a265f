package dev.soma.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The answers Jetty gives on its own, before a request reaches the {@link Router} (a malformed request line or
 * URI, too large headers, a URI too long, a handler that failed), in the same JSON {@link ApiError} shape as
 * every other error: never an HTML page, never a stack trace.
 */
public final class JsonErrors extends ErrorHandler {

    private static final ObjectMapper JSON = Json.mapper();

    private final int maxHeaderBytes;

    /** @param maxHeaderBytes the request-header size limit, named in the 431 message */
    public JsonErrors(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ERROR_STATUS);
        int code = status instanceof Integer value ? value : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        byte[] body = body(code, message == null ? null : message.toString());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    byte[] body(int status, String jettyReason) {
        String detail = jettyReason == null || jettyReason.isBlank() ? "" : " (" + clean(jettyReason) + ")";
        String message = switch (status) {
            case 400 -> "the request is malformed" + detail + "; check the URI's characters and percent-encoding"
                    + " and the header lines";
            case 413 -> "the request is too large" + detail;
            case 414 -> "the URI is too long" + detail + "; the request line and headers may take at most "
                    + maxHeaderBytes + " bytes";
            case 431 -> "the request headers are too large" + detail + "; at most " + maxHeaderBytes
                    + " bytes and " + Router.MAX_HEADERS + " headers are accepted";
            case 500 -> "the server failed on this request; the server log has the details";
            default -> "HTTP " + status + detail;
        };
        try {
            return JSON.writeValueAsBytes(new ApiError(status, ApiError.reason(status), message, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clean(String reason) {
        String clean = reason.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 120 ? clean : clean.substring(0, 117) + "...";
    }
}
