package dev.soma.ingest;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.internal.config.SpecReader;
import dev.soma.ingest.internal.load.LoadStore;
import dev.soma.ingest.internal.load.Loader;
import dev.soma.ingest.internal.source.CsvSource;
import dev.soma.ingest.internal.source.HttpSource;
import dev.soma.ingest.internal.source.Source;
import dev.soma.ingest.spec.SourceSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads the sources a project declares with an {@code ingest:} block into {@code raw}.
 *
 * <pre>{@code
 * try (Warehouse warehouse = Warehouse.open(Path.of("soma.duckdb"))) {
 *     Ingest ingest = Ingest.builder().project(Path.of("models")).warehouse(warehouse).build();
 *     LoadResult result = ingest.load("raw.curated_books");    // or ingest.loadAll()
 *     ingest.rejects("raw.curated_books").forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Each load is one DuckDB transaction on its own connection; loads of one {@code Ingest} run one at
 * a time (the methods are synchronized), and a second process cannot open the same database file.
 * Thread-safe.
 */
public final class Ingest {

    private final Warehouse warehouse;
    private final Path projectDir;
    private final Map<String, SourceSpec> sources;
    private final Map<String, Source> kinds;
    private final Function<String, String> env;
    private final Clock clock;
    private final IngestListener listener;

    private Ingest(Builder builder) {
        this.warehouse = Objects.requireNonNull(builder.warehouse, "warehouse");
        this.projectDir = builder.projectDir;
        this.env = builder.env;
        this.clock = builder.clock;
        this.listener = builder.listener;
        List<SourceSpec> specs = new ArrayList<>(builder.specs);
        if (builder.projectDir != null && builder.readProject) {
            specs.addAll(new SpecReader().readProject(builder.projectDir));
        }
        Map<String, SourceSpec> byName = new LinkedHashMap<>();
        for (SourceSpec spec : specs) {
            SourceSpec previous = byName.putIfAbsent(spec.name(), spec);
            if (previous != null) {
                throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                        "declared twice (also at " + previous.location() + "); keep one ingest: block per source table");
            }
        }
        this.sources = Map.copyOf(byName);
        this.kinds = Map.of("csv", new CsvSource(), "http", new HttpSource());
    }

    /** A builder; {@link Builder#warehouse} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The ingestible sources, by name. */
    public List<SourceSpec> sources() {
        return sources.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /**
     * The source called {@code name}: {@code source.table}, or just {@code table} when only one source
     * has a table of that name.
     *
     * @throws IngestException if none matches, with the closest name
     */
    public SourceSpec source(String name) {
        SourceSpec exact = sources.get(name);
        if (exact != null) {
            return exact;
        }
        List<SourceSpec> byTable = sources.values().stream().filter(s -> s.table().equals(name)
                || s.name().endsWith("." + name)).toList();
        if (byTable.size() == 1) {
            return byTable.get(0);
        }
        if (byTable.size() > 1) {
            throw new IngestException(ErrorCode.UNKNOWN_NODE, null, null, "'" + name + "' names several sources ("
                    + String.join(", ", byTable.stream().map(SourceSpec::name).toList()) + "); write source.table");
        }
        Map<String, String> candidates = new LinkedHashMap<>();
        sources.values().forEach(s -> {
            candidates.put(s.name(), s.name());
            candidates.putIfAbsent(s.table(), s.name());
        });
        String suggestion = Suggestions.closest(name, candidates.keySet()).map(candidates::get)
                .map(s -> " (did you mean '" + s + "'?)").orElse("");
        throw new IngestException(ErrorCode.UNKNOWN_NODE, null, null, "no source '" + name + "' has an ingest: block"
                + suggestion
                + (sources.isEmpty() ? "; add an ingest: block to a source table in sources.yml"
                : "; ingestible sources: " + String.join(", ", sources().stream().map(SourceSpec::name).toList())));
    }

    /** Loads one source. A failed load is returned (and recorded) with its reason; see {@link LoadResult#error()}. */
    public synchronized LoadResult load(String name) {
        return load(source(name));
    }

    /** Loads {@code spec}, which need not be declared in the project. */
    public synchronized LoadResult load(SourceSpec spec) {
        Source source = kinds.get(spec.kind().kindName());
        return new Loader(warehouse, projectDir, env, clock, listener).load(spec, source);
    }

    /** Loads every ingestible source, one after another, by name. */
    public synchronized List<LoadResult> loadAll() {
        List<LoadResult> results = new ArrayList<>();
        for (SourceSpec spec : sources()) {
            results.add(load(spec));
        }
        return results;
    }

    /** The load history of {@code source} (every source when null), newest first. */
    public List<LoadResult> loads(String source, int limit) {
        String name = source == null ? null : source(source).name();
        try (Session session = warehouse.openSession()) {
            return new LoadStore(session).loads(name, limit);
        }
    }

    /** The last load of {@code source}, if any. */
    public Optional<LoadResult> lastLoad(String source) {
        return loads(source, 1).stream().findFirst();
    }

    /**
     * The last load of {@code source} that read something: a load that found every file unchanged since an
     * earlier load read nothing and rejected nothing, and the rejects worth a look are still the earlier ones.
     * Empty before the first load.
     */
    public Optional<LoadResult> lastReadingLoad(String source) {
        List<LoadResult> recent = loads(source, 100);
        return recent.stream().filter(load -> load.rowsRead() > 0 || load.filesSkipped() == 0).findFirst()
                .or(() -> recent.stream().findFirst());
    }

    /** The rejected rows of the last load of {@code source} that read something ({@link #lastReadingLoad}), with their reasons. */
    public List<RejectedRow> rejects(String source, int limit) {
        Optional<LoadResult> last = lastReadingLoad(source);
        if (last.isEmpty()) {
            return List.of();
        }
        try (Session session = warehouse.openSession()) {
            return new LoadStore(session).rejects(last.get().loadId(), limit);
        }
    }

    /** The committed cursor of {@code source}, or empty before its first load or without a cursor. */
    public Optional<String> cursor(String source) {
        String name = source(source).name();
        try (Session session = warehouse.openSession()) {
            return Optional.ofNullable(new LoadStore(session).cursor(name));
        }
    }

    /** Configures an {@link Ingest}. Not thread-safe. */
    public static final class Builder {
        private Warehouse warehouse;
        private Path projectDir;
        private boolean readProject = true;
        private final List<SourceSpec> specs = new ArrayList<>();
        private Function<String, String> env = System::getenv;
        private Clock clock = Clock.systemUTC();
        private IngestListener listener = IngestListener.NONE;

        private Builder() {
        }

        /** The database to load into. Required. */
        public Builder warehouse(Warehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /**
         * The project folder: its YAML files' {@code ingest:} blocks are read, and relative CSV paths start
         * there. Without it, only {@link #source sources given in code} exist and paths are relative to
         * the working folder.
         */
        public Builder project(Path projectDir) {
            this.projectDir = projectDir;
            return this;
        }

        /** Relative paths start at {@code dir}, but no YAML is read from it. */
        public Builder baseDir(Path dir) {
            this.projectDir = dir;
            this.readProject = false;
            return this;
        }

        /** Adds a source declared in code. */
        public Builder source(SourceSpec spec) {
            specs.add(spec);
            return this;
        }

        /** Where {@code ${env("NAME")}} and auth secrets are looked up. Default: the process environment. */
        public Builder env(Function<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /** The clock for load times. Default: the system clock (UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Follows loads as they happen. */
        public Builder listener(IngestListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The ingest.
         *
         * @throws IngestException if an {@code ingest:} block is malformed (file, line and fix in the message)
         */
        public Ingest build() {
            return new Ingest(this);
        }
    }
}
