package dev.soma.server.internal.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The body of every error answer.
 *
 * @param status  the HTTP status
 * @param error   its short reason ({@code not_found}, {@code unauthorized}, …)
 * @param message what went wrong and what to do, for a person
 * @param known   for an unknown name: the names that exist (omitted otherwise)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, @JsonInclude(JsonInclude.Include.ALWAYS) String error,
                       @JsonInclude(JsonInclude.Include.ALWAYS) String message, List<String> known) {

    public static String reason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "request_header_fields_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }
}
