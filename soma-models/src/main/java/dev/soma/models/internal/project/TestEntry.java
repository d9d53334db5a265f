package dev.soma.models.internal.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * One test as declared in YAML: {@code unique}, or {@code accepted_values: {values: [a, b]}}, with the
 * line and column where it is declared so a bad test can be reported where the user wrote it.
 *
 * @param name      the test's name ({@code unique}, {@code relationships}, a custom generic test)
 * @param arguments its arguments, an object (empty for none), including an optional {@code config}
 * @param line      1-based line of the declaration
 * @param column    1-based column of the declaration
 */
@JsonDeserialize(using = TestEntry.Deserializer.class)
public record TestEntry(String name, ObjectNode arguments, int line, int column) {

    static final class Deserializer extends JsonDeserializer<TestEntry> {
        @Override
        public TestEntry deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonLocation at = p.currentTokenLocation();
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return new TestEntry(p.getText(), JsonNodeFactory.instance.objectNode(), at.getLineNr(), at.getColumnNr());
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new JsonMappingException(p, "a test is a name (unique) or a name with arguments "
                        + "(accepted_values: {values: [a, b]}), got " + p.getText(), at);
            }
            JsonNode node = ctxt.readTree(p);
            if (node.size() != 1) {
                throw new JsonMappingException(p, "a test takes exactly one key, its name, with its arguments "
                        + "below it; found " + node.size() + " keys: " + node.properties().stream()
                        .map(e -> e.getKey()).toList(), at);
            }
            var entry = node.properties().iterator().next();
            JsonNode arguments = entry.getValue();
            if (arguments.isNull()) {
                arguments = JsonNodeFactory.instance.objectNode();
            }
            if (!arguments.isObject()) {
                throw new JsonMappingException(p, "the arguments of test '" + entry.getKey()
                        + "' must be a mapping such as {values: [a, b]}, got " + arguments, at);
            }
            return new TestEntry(entry.getKey(), (ObjectNode) arguments, at.getLineNr(), at.getColumnNr());
        }
    }
}
