package dev.soma.ingest.internal.source;

import dev.soma.core.error.ErrorCode;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.spec.SourceSpec;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replaces {@code ${env("NAME")}} in a declared value with the environment variable's value. */
final class EnvText {

    private static final Pattern ENV = Pattern.compile("\\$\\{\\s*env\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*\\)\\s*}");

    private EnvText() {
    }

    static String expand(String text, Function<String, String> env, SourceSpec spec, String what) {
        if (text == null) {
            return null;
        }
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variable(m.group(1), env, spec, what)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String variable(String name, Function<String, String> env, SourceSpec spec, String what) {
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw new IngestException(ErrorCode.INVALID_CONFIG, spec.location(), spec.name(),
                    what + " needs the environment variable " + name + ", which is not set; export " + name + "=… and load again");
        }
        return value;
    }
}
