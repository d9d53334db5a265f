package dev.soma.core.engine;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.error.UnknownEngineException;
import dev.soma.core.text.Suggestions;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engines on a class path, by name: every {@link EngineProvider} {@link ServiceLoader} finds.
 *
 * <pre>{@code
 * EngineProvider provider = Engines.onClassPath().provider(target.engine());
 * Warehouse warehouse = provider.open(new EngineTarget(...));
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Engines {

    private static final String KNOWN = "known-engines.properties";

    private final Map<String, EngineProvider> providers;
    private final Map<String, String> modules;
    private final String defaultName;

    private Engines(Map<String, EngineProvider> providers, Map<String, String> modules, String defaultName) {
        this.providers = providers;
        this.modules = modules;
        this.defaultName = defaultName;
    }

    /** The engines found by the class loader that loaded Soma. */
    public static Engines onClassPath() {
        return on(Engines.class.getClassLoader());
    }

    /** The engines found by {@code loader} (e.g. one that adds an engine's distribution folder). */
    public static Engines on(ClassLoader loader) {
        Map<String, EngineProvider> found = new TreeMap<>();
        try {
            for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, loader)) {
                found.putIfAbsent(provider.name().toLowerCase(Locale.ROOT), provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new SomaException(ErrorCode.INTERNAL, "an engine on the class path cannot be loaded: " + e.getMessage()
                    + "; check that its module matches this Soma's version", e);
        }
        Properties known = new Properties();
        try (InputStream in = Engines.class.getResourceAsStream(KNOWN)) {
            if (in != null) {
                known.load(in);
            }
        } catch (IOException e) {
            throw new SomaException(ErrorCode.INTERNAL, "cannot read " + KNOWN + ": " + e.getMessage(), e);
        }
        Map<String, String> modules = new TreeMap<>();
        known.stringPropertyNames().stream().filter(k -> !k.equals("default"))
                .forEach(k -> modules.put(k, known.getProperty(k).strip()));
        return new Engines(Map.copyOf(found), Map.copyOf(modules), known.getProperty("default", "").strip());
    }

    /** The engine of a target that names none. */
    public String defaultName() {
        return defaultName;
    }

    /** The names of the engines on the class path, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(providers.keySet()));
    }

    /**
     * The provider of engine {@code name} ({@code null}: the {@linkplain #defaultName default}).
     *
     * @throws UnknownEngineException for a name no provider has: with the module to add when Soma knows
     *                                the engine, else with the closest name known
     */
    public EngineProvider provider(String name) {
        String wanted = name == null ? defaultName : name.strip().toLowerCase(Locale.ROOT);
        EngineProvider provider = providers.get(wanted);
        if (provider != null) {
            return provider;
        }
        String module = modules.get(wanted);
        if (module != null) {
            throw new UnknownEngineException(name, names(), module, "engine '" + wanted + "' is not on the class path: "
                    + "add the " + module + " module (its jar and dependencies; see docs/engines.md)");
        }
        List<String> candidates = new ArrayList<>(new TreeSet<>(modules.keySet()));
        providers.keySet().stream().filter(n -> !candidates.contains(n)).forEach(candidates::add);
        throw new UnknownEngineException(name, names(), null, "unknown engine '" + name + "'"
                + Suggestions.didYouMean(wanted, candidates) + "; engines: " + String.join(", ", candidates));
    }
}
