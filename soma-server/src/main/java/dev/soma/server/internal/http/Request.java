package dev.soma.server.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed request: method, decoded path segments, decoded query parameters (first value wins) and
 * the body. Path segments are split on the raw path before decoding, so {@code %2F} inside a segment
 * stays inside it and {@code ..} is just a name that matches nothing.
 */
public record Request(String method, String path, List<String> segments, Map<String, String> query,
                      byte[] body, String authorization) {

    /** Longest query string accepted; longer answers 414. */
    public static final int MAX_QUERY_LENGTH = 4096;

    public static Request parse(String method, String rawPath, String rawQuery, byte[] body, String authorization) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            if (rawQuery.length() > MAX_QUERY_LENGTH) {
                throw new HttpFailure(414, "the query string is " + rawQuery.length() + " characters; at most "
                        + MAX_QUERY_LENGTH + " are accepted");
            }
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                query.putIfAbsent(key, value);
            }
        }
        return new Request(method, rawPath, Collections.unmodifiableList(segments), Collections.unmodifiableMap(query),
                body, authorization);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, "malformed percent-encoding in '" + raw + "'");
        }
    }

    public Optional<String> param(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** An integer parameter within [min, max], else 400 naming the parameter and the range. */
    public int intParam(String name, int fallback, int min, int max) {
        Optional<String> value = param(name);
        if (value.isEmpty()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get().strip());
        } catch (NumberFormatException e) {
            throw new HttpFailure(400, name + " must be a whole number between " + min + " and " + max + ", not '"
                    + abbreviate(value.get()) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new HttpFailure(400, name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return (int) parsed;
    }

    public String segment(int index) {
        return segments.get(index);
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
