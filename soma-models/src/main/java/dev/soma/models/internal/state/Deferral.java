package dev.soma.models.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.core.engine.Engines;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.SeedNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * dbt's {@code --defer}: a {@code ref} to a model or seed that the run does not build reads the relation the
 * state's manifest records for it, when it is not built here (dbt's rule: it does not exist in this target),
 * or always with {@code --favor-state}. Ephemeral models are never deferred: they are inlined.
 *
 * <p>The state's relations may live in this database (another schema) or in another DuckDB file (its path in
 * the manifest's {@code metadata.env.SOMA_DATABASE_PATH}), which is then attached read-only for the run: a CI
 * build of two changed models reads the others from production, and cannot write there.
 */
public final class Deferral {

    private final StateManifest state;
    private final boolean favorState;
    private final DatabaseName here;

    /** @param here the database this run builds in */
    public Deferral(StateManifest state, boolean favorState, DatabaseName here) {
        this.state = state;
        this.favorState = favorState;
        this.here = here;
    }

    /**
     * What a run that builds {@code planned} reads from the state.
     *
     * @param session a connection to this run's database, to tell which relations exist here
     */
    public Plan plan(ModelGraph graph, Set<String> planned, Session session) {
        if (!session.engine().comparesAcrossDatabases()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "--defer does not run on a " + session.engine().displayName()
                    + " target yet: it reads the state's relations by attaching the state's database file."
                    + " Build the parents on this target instead (leave out --defer), or defer on a target of engine "
                    + Engines.onClassPath().defaultName() + " (docs/engines.md)");
        }
        Path stateFile = state.databaseFile();
        boolean otherFile = stateFile != null && !stateFile.equals(here.file());
        String stateCatalog = null;
        Map<String, String> refs = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (String id : graph.order()) {
            Node node = graph.node(id);
            boolean refable = (node instanceof ModelNode model && !model.isEphemeral()) || node instanceof SeedNode;
            JsonNode recorded = refable && !planned.contains(id) ? state.node(id) : null;
            if (recorded == null || !recorded.hasNonNull("schema")) {
                continue;
            }
            if (!favorState && session.relationExists(node.relation().schema(), node.relation().identifier())) {
                continue;
            }
            String schema = recorded.path("schema").asText();
            String identifier = recorded.path("alias").asText(node.name());
            String quoted;
            if (otherFile) {
                String catalog = recorded.path("database").asText("state");
                stateCatalog = catalog.equals(here.catalog()) ? catalog + "_state" : catalog;
                quoted = Identifiers.quote(stateCatalog) + "." + Identifiers.qualify(schema, identifier);
            } else {
                quoted = Identifiers.qualify(schema, identifier);
            }
            refs.put(node.name(), quoted);
            ids.put(id, quoted);
        }
        return new Plan(refs, ids, otherFile && stateCatalog != null ? stateFile : null, stateCatalog);
    }

    /**
     * What one run defers.
     *
     * @param refs    model or seed name to the quoted relation its {@code ref} reads
     * @param ids     the same by unique id
     * @param attach  the state's database file to attach read-only, or {@code null}
     * @param catalog the name it is attached under
     */
    public record Plan(Map<String, String> refs, Map<String, String> ids, Path attach, String catalog) {

        /** Attaches the state's database read-only, if the plan reads one (DuckDB: every connection then sees it). */
        public void attach(Session session) {
            if (attach != null) {
                session.execute(new SqlOwner("defer", catalog), "ATTACH IF NOT EXISTS " + Identifiers.literal(attach.toString())
                        + " AS " + Identifiers.quote(catalog) + " (READ_ONLY)");
            }
        }

        /** Detaches what {@link #attach} attached. */
        public void detach(Session session) {
            if (attach != null) {
                session.execute(new SqlOwner("defer", catalog), "DETACH DATABASE IF EXISTS " + Identifiers.quote(catalog));
            }
        }
    }
}
