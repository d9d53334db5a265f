package dev.soma.models.internal.parser;

import dev.soma.core.engine.Dialect;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.text.Suggestions;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.template.TemplateContext;
import dev.soma.models.internal.template.UnknownReference;
import freemarker.template.TemplateModelException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The first, parse-time render of a model: records every {@code ref}, {@code source} and
 * {@code <@config/>} call. It answers with the template text of the call itself ({@code ${this}},
 * {@code ${ref("x")}}), so a hook written in {@code <@config pre_hook="… ${this}"/>} keeps its references
 * and is rendered for real when the model compiles. Unknown names fail here, where FreeMarker still
 * knows the line and column of the call.
 */
final class ParseContext implements TemplateContext {

    private static final ObjectMapper CONFIG_MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private final Set<String> refNames;
    private final Map<String, ?> sourceNames;
    private final VarResolver vars;
    private final Set<String> refs = new LinkedHashSet<>();
    private final Set<String> sources = new LinkedHashSet<>();
    /** Each var the render read and the value it saw, so a cached parse knows when a var change voids it. */
    private final Map<String, String> varsRead = new LinkedHashMap<>();
    /** Refs and sources asked for that do not exist (a template may recover from that with {@code <#attempt>}). */
    private final Set<String> absentRefs = new LinkedHashSet<>();
    private final Set<String> absentSources = new LinkedHashSet<>();
    private NodeConfig config = NodeConfig.EMPTY;
    private static final Map<String, String> PLACEHOLDER_WINDOW = Map.of(
            "start", "TIMESTAMP '1970-01-01 00:00:00'", "end", "TIMESTAMP '1970-01-01 00:00:00'");
    private volatile boolean windowRead;

    ParseContext(Set<String> refNames, Map<String, ?> sourceNames, VarResolver vars) {
        this.refNames = refNames;
        this.sourceNames = sourceNames;
        this.vars = vars;
    }

    @Override
    public String ref(String name) throws TemplateModelException {
        if (!refNames.contains(name)) {
            absentRefs.add(name);
            throw UnknownReference.ref(name, refNames);
        }
        refs.add(name);
        return "${ref(\"" + escape(name) + "\")}";
    }

    @Override
    public String source(String source, String table) throws TemplateModelException {
        String key = source + "." + table;
        if (!sourceNames.containsKey(key)) {
            absentSources.add(key);
            throw UnknownReference.source(source, table, sourceNames.keySet());
        }
        sources.add(key);
        return "${source(\"" + escape(source) + "\", \"" + escape(table) + "\")}";
    }

    @Override
    public String self() {
        return "${this}";
    }

    /** The macros answer with the template text of their call, like {@code ref}, and render for real when compiled. */
    @Override
    public Dialect dialect() {
        return CALLS;
    }

    private static final Dialect CALLS = new Dialect() {
        @Override
        public String quote(String identifier) {
            return Dialect.checkIdentifier(identifier);
        }

        @Override
        public String relation(String schema, String name) {
            return schema + "." + name;
        }

        @Override
        public String datediff(String first, String second, String datepart) {
            return call("datediff", first, second, datepart);
        }

        @Override
        public String regexpFullMatch(String value, String pattern) {
            return call("regexp_full_match", value, pattern);
        }

        @Override
        public String timeBucket(String timestamp, java.time.Duration width, String origin) {
            return call("time_bucket", timestamp, width.toString(), origin);
        }

        @Override
        public String bucketNumber(String timestamp, java.time.Duration width, String origin) {
            return call("bucket_number", timestamp, width.toString(), origin);
        }

        @Override
        public String cast(String expression, String type) {
            return call("cast", expression, type);
        }

        @Override
        public String typeString() {
            return "${type_string()}";
        }

        @Override
        public String typeFloat() {
            return "${type_float()}";
        }

        @Override
        public String safeDivide(String numerator, String denominator) {
            return call("safe_divide", numerator, denominator);
        }

        @Override
        public String antiJoin() {
            return "ANTI JOIN";
        }

        private String call(String macro, String... args) {
            StringBuilder text = new StringBuilder("${").append(macro).append('(');
            for (int i = 0; i < args.length; i++) {
                text.append(i == 0 ? "" : ", ").append('"').append(escape(args[i])).append('"');
            }
            return text.append(")}").toString();
        }
    };

    /** FreeMarker string-literal escaping, for the template text handed back. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public Object var(String name, Object defaultValue, boolean hasDefault) throws TemplateModelException {
        varsRead.put(name, ParseCache.varValue(vars.values(), name));
        return vars.resolve(name, defaultValue, hasDefault);
    }

    Map<String, String> varsRead() {
        return varsRead;
    }

    Set<String> absentRefs() {
        return absentRefs;
    }

    Set<String> absentSources() {
        return absentSources;
    }

    @Override
    public Map<String, String> window() {
        windowRead = true;
        return PLACEHOLDER_WINDOW;
    }

    /** Whether the template read {@code ${window…}}. */
    boolean windowRead() {
        return windowRead;
    }

    @Override
    public boolean isIncremental() {
        return false;
    }

    @Override
    public void config(Map<String, Object> values) throws TemplateModelException {
        for (String key : values.keySet()) {
            if (!NodeConfig.KEYS.contains(key) && !key.equals("pre-hook") && !key.equals("post-hook")) {
                throw new TemplateModelException("unknown config key '" + key + "'"
                        + Suggestions.didYouMean(key, NodeConfig.KEYS) + "; valid keys: " + String.join(", ", NodeConfig.KEYS));
            }
        }
        try {
            config = config.overriddenBy(CONFIG_MAPPER.convertValue(values, NodeConfig.class));
        } catch (IllegalArgumentException e) {
            throw new TemplateModelException("bad value in <@config/>: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    Set<String> refs() {
        return refs;
    }

    Set<String> sources() {
        return sources;
    }

    NodeConfig config() {
        return config;
    }
}
