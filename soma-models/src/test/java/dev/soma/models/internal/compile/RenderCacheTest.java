package dev.soma.models.internal.compile;

import dev.soma.core.warehouse.DuckDbEngine;
import dev.soma.models.internal.parser.ProjectParser;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compile render cache: an unchanged model is not rendered again, and whatever its render depends on
 * (its text, a macro, a var, what a ref or source names, an ephemeral model it inlines, is_incremental)
 * makes it render again. Each round loads the project afresh and compiles every model, as a new
 * {@code soma run} does; the SQL must always be what a render without the cache gives.
 */
class RenderCacheTest {

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void project() throws IOException {
        root = dir.resolve("project");
        write("soma_project.yml", """
                name: renders
                vars: {region: north}
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: view, schema: analytics}
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    tables: [{name: events}]
                """);
        write("macros/pick.ftl", "<#function pick col>\n  <#return col + \" as picked\">\n</#function>\n");
        write("staging/a.sql", "select id, ${pick('value')} from ${source('raw', 'events')}\n");
        write("staging/b.sql", "select * from ${ref('a')} where region = '${var('region')}'\n");
        write("staging/e.sql", "<@config materialized=\"ephemeral\"/>\nselect id from ${ref('a')}\n");
        write("marts/c.sql", "select * from ${ref('b')} join ${ref('e')} using (id)\n");
        write("marts/d.sql", "select 1 as one<#if is_incremental()> where true</#if>\n");
    }

    /** One compile of every model, as a new process would: the SQL by model, and how many renders were reused. */
    private record Round(Map<String, String> sql, int hits) {
    }

    private Round round(Map<String, Object> vars, boolean incremental) {
        Project project = new ProjectParser(Runnable::run, true, null).parse(root, vars);
        RenderCache cache = RenderCache.open(root.resolve("target"), project, true);
        Compiler compiler = new Compiler(project, DuckDbEngine.INSTANCE, Clock.systemUTC(), false, Map.of(), cache);
        Map<String, String> sql = new TreeMap<>();
        for (ModelNode model : project.models().values()) {
            if (!model.isEphemeral()) {
                sql.put(model.name(), compiler.compile(model, incremental).sql());
            }
        }
        compiler.saveRenders();
        return new Round(sql, cache.hits());
    }

    /** The same compile with no cache at all: what every round must equal. */
    private Map<String, String> uncached(Map<String, Object> vars, boolean incremental) {
        Project project = new ProjectParser(Runnable::run, false, null).parse(root, vars);
        Compiler compiler = new Compiler(project, DuckDbEngine.INSTANCE, Clock.systemUTC(), false);
        Map<String, String> sql = new TreeMap<>();
        for (ModelNode model : project.models().values()) {
            if (!model.isEphemeral()) {
                sql.put(model.name(), compiler.compile(model, incremental).sql());
            }
        }
        return sql;
    }

    @Test
    void anUnchangedProjectReusesEveryRender() {
        Round first = round(Map.of(), false);
        assertThat(first.hits()).isZero();
        assertThat(root.resolve("target").resolve(RenderCache.FILE_NAME)).isRegularFile();

        Round second = round(Map.of(), false);
        assertThat(second.hits()).isEqualTo(4);
        assertThat(second.sql()).isEqualTo(first.sql()).isEqualTo(uncached(Map.of(), false));
    }

    @Test
    void aChangedModelRendersAgainAndTheOthersAreReused() throws IOException {
        round(Map.of(), false);
        write("staging/b.sql", "select id from ${ref('a')} where region = '${var('region')}'\n");
        Round second = round(Map.of(), false);
        assertThat(second.hits()).isEqualTo(3);
        assertThat(second.sql().get("b")).startsWith("select id from");
        assertThat(second.sql()).isEqualTo(uncached(Map.of(), false));
    }

    @Test
    void aChangedMacroRendersEveryModelAgain() throws IOException {
        round(Map.of(), false);
        write("macros/pick.ftl", "<#function pick col>\n  <#return col + \" as chosen\">\n</#function>\n");
        Round second = round(Map.of(), false);
        assertThat(second.hits()).isZero();
        assertThat(second.sql().get("a")).contains("value as chosen");
        assertThat(second.sql()).isEqualTo(uncached(Map.of(), false));
    }

    @Test
    void aChangedVarRendersTheModelsThatReadIt() throws IOException {
        round(Map.of(), false);
        Round overridden = round(Map.of("region", "south"), false);
        assertThat(overridden.hits()).as("b reads the var; a, c and d do not").isEqualTo(3);
        assertThat(overridden.sql().get("b")).contains("'south'");
        assertThat(overridden.sql()).isEqualTo(uncached(Map.of("region", "south"), false));

        write("soma_project.yml", """
                name: renders
                vars: {region: east}
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: view, schema: analytics}
                """);
        Round inProject = round(Map.of(), false);
        assertThat(inProject.hits()).isEqualTo(3);
        assertThat(inProject.sql().get("b")).contains("'east'");
    }

    @Test
    void anUpstreamMovedToAnotherSchemaRendersItsReaders() throws IOException {
        round(Map.of(), false);
        write("staging/_staging.yml", """
                models:
                  - name: b
                    config: {schema: moved, alias: b_moved}
                """);
        Round second = round(Map.of(), false);
        assertThat(second.sql().get("c")).contains("\"moved\".\"b_moved\"");
        assertThat(second.sql()).isEqualTo(uncached(Map.of(), false));
        assertThat(second.hits()).as("a and d; b's own relation (this) moved, c reads it").isEqualTo(2);
    }

    @Test
    void aChangedEphemeralModelIsInlinedAsItIsNow() throws IOException {
        round(Map.of(), false);
        write("staging/e.sql", "<@config materialized=\"ephemeral\"/>\nselect id from ${ref('a')} where id > 0\n");
        Round second = round(Map.of(), false);
        assertThat(second.sql().get("c")).contains("where id > 0");
        assertThat(second.sql()).isEqualTo(uncached(Map.of(), false));
    }

    @Test
    void isIncrementalIsPartOfTheKey() {
        round(Map.of(), false);
        Round incremental = round(Map.of(), true);
        assertThat(incremental.hits()).isZero();
        assertThat(incremental.sql().get("d")).endsWith("where true");
        assertThat(round(Map.of(), true).hits()).isEqualTo(4);
    }

    @Test
    void aTemplateThatIncludesOrReadsTheClockIsNeverCached() throws IOException {
        write("staging/part.txt", "where id > 1");
        write("staging/f.sql", "select * from ${ref('a')} <#include \"part.txt\">\n");
        write("staging/g.sql", "select '${.now?string(\"yyyy\")}' as year\n");
        round(Map.of(), false);
        write("staging/part.txt", "where id > 2");
        Round second = round(Map.of(), false);
        assertThat(second.sql().get("f")).endsWith("where id > 2");
        assertThat(second.hits()).as("a, b, c, d; never f nor g").isEqualTo(4);
    }

    @Test
    void aCorruptCacheIsIgnored() throws IOException {
        round(Map.of(), false);
        Path file = root.resolve("target").resolve(RenderCache.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        Round second = round(Map.of(), false);
        assertThat(second.hits()).isZero();
        assertThat(second.sql()).isEqualTo(uncached(Map.of(), false));
        assertThat(round(Map.of(), false).hits()).as("rewritten whole").isEqualTo(4);
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
