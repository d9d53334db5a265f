package dev.soma.models.internal.parser;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.soma.models.internal.project.SchemaFile;
import dev.soma.models.internal.project.TestEntry;

/**
 * A parsed YAML file ({@link SchemaFile}) as JSON, so the parse cache can give an unchanged YAML file's
 * content back without parsing its YAML again (JSON reads several times faster than YAML).
 *
 * <p>Exact or nothing: {@link #encode} keeps a file only if its JSON reads back as an equal value, line
 * and column of every test included; a value that would not (a YAML binary, say) is not cached and its
 * file is parsed on every load, as before.
 */
final class SchemaJson {

    /** A test is kept as its record (name, arguments, line, column), not in the YAML shorthand its reader takes. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    private abstract static class PlainTestEntry {
    }

    /**
     * Record components only ({@code isEnabled()} is no property), unset ones left out; NaN and infinities
     * as JSON numbers.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .addMixIn(TestEntry.class, PlainTestEntry.class)
            .build();

    private SchemaJson() {
    }

    /** {@code schema} as JSON, or {@code null} when that JSON would not read back as an equal value. */
    static String encode(SchemaFile schema) {
        try {
            String json = JSON.writeValueAsString(schema);
            return schema.equals(decode(json)) ? json : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** What {@link #encode} wrote, or {@code null} if it cannot be read (the file is then parsed again). */
    static SchemaFile decode(String json) {
        try {
            return JSON.readValue(json, SchemaFile.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
