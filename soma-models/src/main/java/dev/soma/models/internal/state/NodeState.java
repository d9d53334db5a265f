package dev.soma.models.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.text.Checksums;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compile-independent checksum of a node, and the canonical text of the JSON parts it is made of.
 * One definition for the manifest being written and for one read back with {@code --state}, so that an
 * unchanged node always compares equal.
 */
public final class NodeState {

    private NodeState() {
    }

    /**
     * The checksum dbt's {@code checksum} field holds for a model or singular test in Soma's manifest: its raw
     * template, its resolved config, its contract and the text of every macro it calls. Compiled SQL plays no
     * part, so a change of vars, of a parent's schema or of the target does not count as a change.
     *
     * @param canonicalConfig   the resolved config's {@link #canonical} text
     * @param canonicalContract the contract's {@link #canonical} text ({@code ""}: none)
     * @param macroChecksums    macro name to the {@link #macroChecksum} of its definition's text
     */
    public static String checksum(String rawCode, String canonicalConfig, String canonicalContract,
                                  Map<String, String> macroChecksums) {
        StringBuilder text = new StringBuilder();
        text.append("raw_code\0").append(rawCode == null ? "" : rawCode).append('\0');
        text.append("config\0").append(canonicalConfig).append('\0');
        text.append("contract\0").append(canonicalContract).append('\0');
        new TreeMap<>(macroChecksums).forEach((name, checksum) -> text.append("macro\0").append(name).append('\0')
                .append(checksum).append('\0'));
        return Checksums.sha256(text.toString());
    }

    /** What {@link #checksum} takes of a macro's definition: the SHA-256 of its text, once per macro and manifest. */
    public static String macroChecksum(String definition) {
        return Checksums.sha256(definition);
    }

    /** {@code node} as JSON text with object keys sorted at every level; {@code ""} for a missing node. */
    public static String canonical(JsonNode node) {
        return node == null || node.isMissingNode() ? "" : sorted(node).toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                copy.set(name, sorted(node.get(name)));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return node;
    }
}
