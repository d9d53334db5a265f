package dev.soma.server.internal.http;

/**
 * What a handler answers: a status and either a record for Jackson ({@code json}) or raw bytes
 * with their content type (the lineage page and its script).
 */
public record Response(int status, Object json, byte[] bytes, String contentType) {

    public static Response ok(Object json) {
        return new Response(200, json, null, "application/json");
    }

    public static Response json(int status, Object json) {
        return new Response(status, json, null, "application/json");
    }

    public static Response bytes(byte[] bytes, String contentType) {
        return new Response(200, null, bytes, contentType);
    }
}
