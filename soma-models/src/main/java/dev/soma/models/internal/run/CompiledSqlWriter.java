package dev.soma.models.internal.run;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.materialize.RelationTypes;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.selection.Selector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code soma compile}: renders the SQL of the selected models (in parallel, on the executor it is given)
 * and writes each to {@code target/compiled}, with the manifest. Builds nothing; the database is read only
 * to tell whether an incremental model's table exists.
 */
public final class CompiledSqlWriter {

    private final Project project;
    private final ModelGraph graph;
    private final NodeCatalog catalog;
    private final Compiler compiler;
    private final ArtifactWriter artifacts;
    private final boolean fullRefresh;
    private final Executor executor;

    private final Selector selector;

    public CompiledSqlWriter(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler,
                             ArtifactWriter artifacts, boolean fullRefresh, Executor executor) {
        this(project, graph, catalog, compiler, artifacts, fullRefresh, executor, new Selector(graph));
    }

    /** @param selector selects (knowing {@code --state}, when given) */
    public CompiledSqlWriter(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler,
                             ArtifactWriter artifacts, boolean fullRefresh, Executor executor, Selector selector) {
        this.selector = selector;
        this.project = project;
        this.graph = graph;
        this.catalog = catalog;
        this.compiler = compiler;
        this.artifacts = artifacts;
        this.fullRefresh = fullRefresh;
        this.executor = executor;
    }

    /**
     * Renders the selected models (ephemeral ones are inlined where they are used) and writes their SQL.
     *
     * @param warehouse opened only when an incremental model is selected, to tell whether its table
     *                  exists already ({@code is_incremental()}); otherwise no database is touched
     *                  ({@code null} from it: no database yet, nothing exists)
     */
    public List<CompiledNode> write(Selection selection, Supplier<Warehouse> warehouse) {
        CompletableFuture<Path> manifest = artifacts.writeManifestAsync(project, graph, executor);
        List<ModelNode> models = new ArrayList<>();
        for (String id : graph.inOrder(selector.select(selection))) {
            if (graph.node(id) instanceof ModelNode model && !model.isEphemeral()) {
                models.add(model);
            }
        }
        boolean anyIncremental = models.stream().anyMatch(model -> model.materialized() == Materialization.INCREMENTAL);
        Warehouse opened = anyIncremental ? warehouse.get() : null;
        RelationTypes existing = RelationTypes.none();
        if (opened != null) {
            try (dev.soma.core.warehouse.Session session = opened.openSession()) {
                existing = RelationTypes.load(session, schemasOf(models));
            }
        }
        List<CompletableFuture<CompiledNode>> compiled = new ArrayList<>(models.size());
        for (ModelNode model : models) {
            boolean incremental = NodeExecutor.isIncremental(model, existing.typeOf(model.relation()), fullRefresh);
            compiled.add(CompletableFuture.supplyAsync(() -> {
                CompiledModel result = compiler.compile(model, incremental);
                Path path = artifacts.writeCompiled(model.path(), result.sql());
                return new CompiledNode(catalog.info(model), result.sql(), path);
            }, executor));
        }
        List<CompiledNode> nodes = new ArrayList<>(compiled.size());
        try {
            for (CompletableFuture<CompiledNode> node : compiled) {
                nodes.add(node.join());
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        compiler.saveRenders();
        artifacts.saveCompiledIndex();
        ArtifactWriter.await(manifest);
        return nodes;
    }

    private static Set<String> schemasOf(List<ModelNode> models) {
        Set<String> schemas = new TreeSet<>();
        models.forEach(model -> schemas.add(model.relation().schema()));
        return schemas;
    }
}
