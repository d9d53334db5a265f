package dev.soma.models.internal.project;

import dev.soma.models.api.ProjectWarning;
import dev.soma.models.internal.template.TemplateEngine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated project: its settings, every node by unique id, and the template engine that
 * renders its models. Immutable once loaded.
 *
 * @param root      the project directory (may be inside a jar)
 * @param settings  {@code soma_project.yml}
 * @param vars      project vars with command-line overrides applied
 * @param models    enabled models by name
 * @param seeds     seeds by name
 * @param sources   source tables by {@code source.table}
 * @param tests     data tests by name
 * @param templates the project's template engine
 * @param warnings  what loads but is probably a mistake, in model order
 * @param snapshots snapshots by name
 * @param unitTests unit tests by unique id
 */
public record Project(Path root, ProjectFile settings, Map<String, Object> vars, Map<String, ModelNode> models,
                      Map<String, SeedNode> seeds, Map<String, SourceNode> sources, Map<String, TestNode> tests,
                      TemplateEngine templates, List<ProjectWarning> warnings, Map<String, SnapshotNode> snapshots,
                      Map<String, UnitTestNode> unitTests) {

    public Project {
        warnings = List.copyOf(warnings);
        snapshots = snapshots == null ? Map.of() : Map.copyOf(snapshots);
        unitTests = unitTests == null ? Map.of() : Map.copyOf(unitTests);
    }

    /** A project without unit tests. */
    public Project(Path root, ProjectFile settings, Map<String, Object> vars, Map<String, ModelNode> models,
                   Map<String, SeedNode> seeds, Map<String, SourceNode> sources, Map<String, TestNode> tests,
                   TemplateEngine templates, List<ProjectWarning> warnings, Map<String, SnapshotNode> snapshots) {
        this(root, settings, vars, models, seeds, sources, tests, templates, warnings, snapshots, Map.of());
    }

    /** A project without snapshots or unit tests. */
    public Project(Path root, ProjectFile settings, Map<String, Object> vars, Map<String, ModelNode> models,
                   Map<String, SeedNode> seeds, Map<String, SourceNode> sources, Map<String, TestNode> tests,
                   TemplateEngine templates, List<ProjectWarning> warnings) {
        this(root, settings, vars, models, seeds, sources, tests, templates, warnings, Map.of(), Map.of());
    }

    /** This project with its data tests. */
    public Project withTests(Map<String, TestNode> tests) {
        return new Project(root, settings, vars, models, seeds, sources, Map.copyOf(tests), templates, warnings, snapshots,
                unitTests);
    }

    /** This project with its unit tests (by unique id). */
    public Project withUnitTests(Map<String, UnitTestNode> unitTests) {
        return new Project(root, settings, vars, models, seeds, sources, tests, templates, warnings, snapshots, unitTests);
    }

    /** The warnings about model {@code name}. */
    public List<ProjectWarning> warningsFor(String name) {
        return warnings.stream().filter(w -> name.equals(w.model())).toList();
    }

    public String name() {
        return settings.name();
    }

    /** Every node, by unique id: models, seeds, sources, snapshots, data tests, then unit tests. */
    public Map<String, Node> nodes() {
        Map<String, Node> nodes = new LinkedHashMap<>();
        models.values().forEach(n -> nodes.put(n.uniqueId(), n));
        seeds.values().forEach(n -> nodes.put(n.uniqueId(), n));
        sources.values().forEach(n -> nodes.put(n.uniqueId(), n));
        snapshots.values().forEach(n -> nodes.put(n.uniqueId(), n));
        tests.values().forEach(n -> nodes.put(n.uniqueId(), n));
        unitTests.values().forEach(n -> nodes.put(n.uniqueId(), n));
        return nodes;
    }

    /** The model, seed or snapshot called {@code name}, or {@code null}. */
    public Node refTarget(String name) {
        Node model = models.get(name);
        if (model != null) {
            return model;
        }
        Node seed = seeds.get(name);
        return seed != null ? seed : snapshots.get(name);
    }

    /** Names {@code ref()} accepts, for suggestions. */
    public List<String> refNames() {
        List<String> names = new java.util.ArrayList<>(models.keySet());
        names.addAll(seeds.keySet());
        names.addAll(snapshots.keySet());
        return names;
    }
}
