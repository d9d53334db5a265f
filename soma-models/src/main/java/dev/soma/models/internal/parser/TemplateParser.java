package dev.soma.models.internal.parser;

import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.template.ReferenceScanner;
import dev.soma.models.internal.template.TemplateEngine;
import dev.soma.models.internal.template.TemplateOwner;
import dev.soma.models.internal.template.UnknownReference;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renders a template once in parse mode ({@link ParseContext}) to learn its refs, sources and in-file
 * config; FreeMarker reports an unknown name with its line and column. Models and tests are parsed
 * here; the results of models are what the {@link ParseCache} keeps.
 */
final class TemplateParser {

    private TemplateParser() {
    }

    /** What a parse-time render of a template found: its references and in-file config. */
    record Parsed(Set<String> refs, Set<String> sources, NodeConfig config) {
    }

    /**
     * Renders {@code template} of a project whose models, seeds and sources are read (a test's).
     *
     * @param variables extra top-level variables (a custom generic test's arguments)
     */
    static Parsed parse(Project project, String template, TemplateOwner owner, Map<String, Object> variables) {
        Set<String> refNames = new LinkedHashSet<>(project.refNames());
        ParseContext context = new ParseContext(refNames, project.sources(), new VarResolver(project.vars()));
        project.templates().render(template, owner, context, variables);
        return new Parsed(Set.copyOf(context.refs()), Set.copyOf(context.sources()), context.config());
    }

    /**
     * Renders model {@code name} and scans its text, so a ref in a branch that did not run still counts
     * and still must exist: its refs and sources, in-file config and the vars it read.
     */
    static ParseCache.Entry model(String name, String path, String text, String textHash, Set<String> refNames,
                                  Map<String, SourceNode> sourceNodes, TemplateEngine templates, VarResolver vars) {
        ParseContext context = new ParseContext(refNames, sourceNodes, vars);
        templates.render(path, TemplateOwner.model(name), context);

        Set<String> refs = new LinkedHashSet<>(context.refs());
        for (ReferenceScanner.Found found : ReferenceScanner.refs(text)) {
            if (!refNames.contains(found.name())) {
                UnknownReference unknown = UnknownReference.ref(found.name(), refNames);
                throw new UnknownNodeException(new SourceLocation(path, found.line(), found.column()),
                        unknown.problem() + " (in model " + name + ")", found.name(), unknown.suggestion());
            }
            refs.add(found.name());
        }
        Set<String> sources = new LinkedHashSet<>(context.sources());
        for (ReferenceScanner.Found found : ReferenceScanner.sources(text)) {
            String key = found.name() + "." + found.table();
            if (!sourceNodes.containsKey(key)) {
                UnknownReference unknown = UnknownReference.source(found.name(), found.table(), sourceNodes.keySet());
                throw new UnknownNodeException(new SourceLocation(path, found.line(), found.column()),
                        unknown.problem() + " (in model " + name + ")", key, unknown.suggestion());
            }
            sources.add(key);
        }
        return new ParseCache.Entry(path, textHash, Set.copyOf(refs), Set.copyOf(sources),
                ParseCacheFile.normalized(context.config()), context.windowRead(), Map.copyOf(context.varsRead()),
                Set.copyOf(context.absentRefs()), Set.copyOf(context.absentSources()));
    }
}
