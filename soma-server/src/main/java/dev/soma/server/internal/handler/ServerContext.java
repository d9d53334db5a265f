package dev.soma.server.internal.handler;

import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.jobs.JobQueue;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Selection;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.ReadSessions;

import java.time.Clock;
import java.util.List;

/**
 * What every handler reads from: the warehouse (through read-only sessions), the project, and the
 * optional job queue and ingestion. Immutable; thread-safe as far as those are.
 */
public record ServerContext(Warehouse warehouse, ReadSessions sessions, Soma soma, JobQueue jobs, Ingest ingest,
                            Clock clock) {

    /** The project's models, seeds and sources (no tests), in dependency order. */
    public List<NodeInfo> nodes() {
        return soma.list(Selection.all()).stream().filter(node -> !node.resourceType().isTest()).toList();
    }

    /** The node called {@code name}, or 404 with the known names. */
    public NodeInfo node(String name) {
        // The direct lookup first: listing every node in order is for the error answer, not for each request.
        try {
            NodeInfo node = soma.node(name);
            if (!node.resourceType().isTest() && node.name().equals(name)) {
                return node;
            }
        } catch (SomaException e) {
            // not a node: the answer below lists the known names
        }
        List<String> names = nodes().stream().map(NodeInfo::name).sorted().toList();
        if (!names.contains(name)) {
            throw new HttpFailure(404, "no model, seed or source called '" + abbreviate(name) + "'"
                    + Suggestions.didYouMean(name, names) + "; GET /models lists them",
                    names.size() > 200 ? names.subList(0, 200) : names);
        }
        try {
            return soma.node(name);
        } catch (SomaException e) {
            throw new HttpFailure(404, e.getMessage(), names);
        }
    }

    /** A run store on a read-only session; {@code work} must not keep it. */
    public <T> T runs(java.util.function.Function<RunStore, T> work) {
        return sessions.read(session -> work.apply(new RunStore(session)));
    }

    public JobQueue requireJobs() {
        if (jobs == null) {
            throw new HttpFailure(404, "this server has no job queue; an embedding app passes one to "
                    + "SomaServer.builder().jobQueue(…), 'soma serve' opens the warehouse's");
        }
        return jobs;
    }

    public Ingest requireIngest() {
        if (ingest == null) {
            throw new HttpFailure(404, "this server has no ingestion configured; pass one to SomaServer.builder().ingest(…)");
        }
        return ingest;
    }

    static String abbreviate(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }
}
