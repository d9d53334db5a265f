package dev.soma.server.internal.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.Temporal;

/** The one JSON mapper of the server: snake_case names, ISO-8601 instants, durations in milliseconds. */
public final class Json {

    private Json() {
    }

    public static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("soma-time");
        time.addSerializer(Instant.class, new ToStringSerializer<>());
        time.addSerializer(Temporal.class, new ToStringSerializer<>());
        time.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeNumber(value.toMillis());
            }
        });
        return new ObjectMapper()
                .registerModule(time)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private static final class ToStringSerializer<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(value.toString());
        }
    }
}
