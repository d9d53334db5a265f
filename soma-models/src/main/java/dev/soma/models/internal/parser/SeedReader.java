package dev.soma.models.internal.parser;

import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;
import dev.soma.models.internal.project.SeedNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads seeds: {@code seeds/*.csv}, the {@code seeds:} entries of the YAML files, and their config
 * (seed YAML &gt; {@code seeds:} folder default). A seed is ref'd like a model, so no model may share
 * its name.
 */
final class SeedReader implements YamlFile.SectionReader {

    private final ProjectFile settings;
    private final Map<String, String> paths;
    private final Map<String, ModelEntry> entries = new HashMap<>();

    /** @param modelPaths the models by name, none of which may share a seed's name */
    SeedReader(ProjectFile settings, List<String> files, Map<String, String> modelPaths) {
        this.settings = settings;
        this.paths = ProjectFiles.byName(files, "seed");
        for (String name : paths.keySet()) {
            if (modelPaths.containsKey(name)) {
                throw new ProjectException(SourceLocation.of(paths.get(name)), "seed '" + name + "' has the same name as model "
                        + modelPaths.get(name) + "; ref() could not tell them apart: rename one");
            }
        }
    }

    /** The seeds' names, which {@code ref()} accepts. */
    Set<String> names() {
        return paths.keySet();
    }

    @Override
    public void readYaml(YamlFile file) {
        for (ModelEntry entry : file.schema().seeds()) {
            String name = file.requireName(entry.name(), "seeds");
            if (!paths.containsKey(name)) {
                throw new UnknownNodeException(file.at(name), "seeds entry '" + name + "' matches no seed file (no seeds/"
                        + name + ".csv)" + Suggestions.didYouMean(name, paths.keySet()), name, null);
            }
            entries.put(name, entry);
        }
    }

    /** The enabled seeds, by name. */
    Map<String, SeedNode> read() {
        Map<String, SeedNode> seeds = new TreeMap<>();
        paths.forEach((name, path) -> {
            ModelEntry entry = entries.get(name);
            List<String> folders = ProjectFiles.folders(path.substring("seeds/".length()));
            NodeConfig config = settings.seeds().resolve(folders).overriddenBy(entry == null ? null : entry.config());
            if (config.isEnabled()) {
                seeds.put(name, new SeedNode("seed." + settings.name() + "." + name, name, path, folders, config,
                        entry == null ? null : entry.description(), entry == null ? List.of() : entry.columns(),
                        config.relation(name), null));
            }
        });
        return seeds;
    }
}
