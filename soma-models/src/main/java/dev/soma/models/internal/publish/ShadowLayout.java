package dev.soma.models.internal.publish;

import dev.soma.core.engine.AuditBranches;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SeedNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where shadow relations live: next to their live relation, in the same schema, named
 * {@code <identifier>__audit} ({@code analytics.fact_sales__audit}).
 *
 * <p>Why the same schema and not an {@code analytics__audit} schema: DuckDB (1.5) cannot move a table
 * between schemas ({@code ALTER TABLE … SET SCHEMA} is "not implemented", a rename cannot name another
 * schema, schemas cannot be renamed), so a shadow in another schema could only go live by copying its
 * rows. A rename inside one schema is a catalog change, and DuckDB's DDL is transactional: dropping the
 * live tables and renaming the shadows over them commits at once, whatever the size of the data.
 *
 * <p>On an engine with {@linkplain AuditBranches audit branches} (Iceberg) the same name stands for the
 * audit branch of the live table: the engine's dialect renders it so, and nothing is built beside it.
 */
public final class ShadowLayout {

    /** Appended to a live identifier to name its shadow. */
    public static final String SUFFIX = AuditBranches.SUFFIX;

    private ShadowLayout() {
    }

    /** A quoted relation name whose identifier ends in the suffix: {@code "analytics"."fact_sales__audit"}. */
    private static final Pattern QUOTED_SHADOW = Pattern.compile("\"(?:[^\"]|\"\")*\"\\.\"(?:[^\"]|\"\")*" + SUFFIX + "\"");

    /** The shadow of {@code live}. */
    public static Relation shadowOf(Relation live) {
        return new Relation(live.schema(), live.identifier() + SUFFIX);
    }

    /**
     * {@code sql} with each quoted shadow name in {@code liveByShadow} (quoted shadow name to quoted live
     * name) replaced by its live name, in one pass; other text is left as it is.
     */
    public static String onLiveNames(String sql, Map<String, String> liveByShadow) {
        if (liveByShadow.isEmpty() || !sql.contains(SUFFIX)) {
            return sql;
        }
        return QUOTED_SHADOW.matcher(sql).replaceAll(match -> Matcher.quoteReplacement(
                liveByShadow.getOrDefault(match.group(), match.group())));
    }

    /**
     * {@code project} with every model and seed among {@code built} (unique ids) renamed to its shadow:
     * compiled against it, a selected model reads the shadows of its selected parents, the live relations
     * of the rest, and its tests read the shadow.
     */
    public static Project shadowProject(Project project, Set<String> built) {
        Map<String, ModelNode> models = new LinkedHashMap<>();
        for (ModelNode m : project.models().values()) {
            models.put(m.name(), built.contains(m.uniqueId()) && m.materialized() != Materialization.EPHEMERAL
                    ? new ModelNode(m.uniqueId(), m.name(), m.path(), m.folders(), m.config(), m.description(), m.columns(),
                    m.yamlFile(), m.refs(), m.sources(), shadowOf(m.relation()), m.checksum(), m.constraints())
                    : m);
        }
        Map<String, SeedNode> seeds = new LinkedHashMap<>();
        for (SeedNode s : project.seeds().values()) {
            seeds.put(s.name(), built.contains(s.uniqueId())
                    ? new SeedNode(s.uniqueId(), s.name(), s.path(), s.folders(), s.config(), s.description(), s.columns(),
                    shadowOf(s.relation()), s.checksum())
                    : s);
        }
        return new Project(project.root(), project.settings(), project.vars(), Map.copyOf(models), Map.copyOf(seeds),
                project.sources(), project.tests(), project.templates(), project.warnings(), project.snapshots(),
                project.unitTests());
    }
}
