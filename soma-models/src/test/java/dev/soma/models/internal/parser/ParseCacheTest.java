package dev.soma.models.internal.parser;

import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parse cache in {@code target/partial_parse.bin}, on real files: what a load renders again after
 * each kind of change, and that a cache file it cannot fully trust is ignored.
 */
class ParseCacheTest {

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void project() throws IOException {
        root = dir.resolve("project");
        write("soma_project.yml", """
                name: cached
                vars: {mat: view}
                models:
                  marts: {schema: analytics}
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    tables: [{name: events}]
                """);
        write("macros/upstream.ftl", "<#function upstream>\n  <#return ref(\"a\")>\n</#function>\n");
        write("staging/a.sql", "select id from ${source('raw', 'events')}\n");
        write("staging/b.sql", "select id from ${source('raw', 'events')}\n");
        write("marts/c.sql", "select * from ${upstream()}\n");
        write("marts/d.sql", "<@config materialized=var(\"mat\")/>\nselect * from ${ref('b')}\n");
        write("marts/_marts.yml", """
                models:
                  - name: c
                    config: {materialized: view}
                """);
    }

    @Test
    void anUnchangedProjectRendersNothingAndLoadsTheSame() {
        ProjectParser first = loader();
        Project before = first.parse(root, Map.of());
        assertThat(first.rendered()).isEqualTo(4);
        assertThat(cacheFile()).isRegularFile();

        ProjectParser second = loader();
        Project after = second.parse(root, Map.of());
        assertThat(second.rendered()).isZero();
        assertThat(after.models()).isEqualTo(before.models());
        assertThat(after.models().get("c").refs()).containsExactly("a");
        assertThat(after.models().get("d").config().materialized()).isEqualTo("view");
    }

    @Test
    void everyInFileConfigKeyComesBackFromTheCacheAsRendered() throws IOException {
        write("marts/e.sql", """
                <@config materialized="incremental" unique_key=["id", "day"] incremental_strategy="merge" tags=["x", "y"]
                    pre_hook="select 1 from ${this}" post_hook=["select 2", "select 3"] enabled=true full_refresh=false
                    column_types={"id": "BIGINT"} meta={"owner": "me", "tier": 2} alias="e_alias" schema="other"/>
                select * from ${ref('a')}
                """);
        Project rendered = loader().parse(root, Map.of());
        ProjectParser cached = loader();
        Project fromCache = cached.parse(root, Map.of());
        assertThat(cached.rendered()).isZero();
        assertThat(fromCache.models().get("e").config()).isEqualTo(rendered.models().get("e").config());
        assertThat(fromCache.models()).isEqualTo(rendered.models());
    }

    @Test
    void aChangedModelIsTheOnlyOneRenderedAgain() throws IOException {
        loader().parse(root, Map.of());
        write("marts/c.sql", "select * from ${ref('b')} join ${ref('a')} using (id)\n");

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).isEqualTo(1);
        assertThat(project.models().get("c").refs()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aChangedMacroRendersEveryModelAgain() throws IOException {
        loader().parse(root, Map.of());
        write("macros/upstream.ftl", "<#function upstream>\n  <#return ref(\"b\")>\n</#function>\n");

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).isEqualTo(4);
        assertThat(project.models().get("c").refs()).containsExactly("b");
    }

    @Test
    void aChangedVarRendersTheModelsThatReadItAgain() throws IOException {
        loader().parse(root, Map.of());
        write("soma_project.yml", """
                name: cached
                vars: {mat: table}
                models:
                  marts: {schema: analytics}
                """);

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).as("only d reads var('mat')").isEqualTo(1);
        assertThat(project.models().get("d").config().materialized()).isEqualTo("table");

        ProjectParser overridden = loader();
        Project fromCommandLine = overridden.parse(root, Map.of("mat", "ephemeral"));
        assertThat(overridden.rendered()).isEqualTo(1);
        assertThat(fromCommandLine.models().get("d").config().materialized()).isEqualTo("ephemeral");
    }

    @Test
    void yamlAndFolderConfigAreReadAfreshOnEveryLoad() throws IOException {
        loader().parse(root, Map.of());
        write("marts/_marts.yml", """
                models:
                  - name: c
                    config: {materialized: table, schema: finance}
                """);
        write("soma_project.yml", """
                name: cached
                vars: {mat: view}
                models:
                  marts: {schema: analytics, tags: [nightly]}
                """);

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).isZero();
        assertThat(project.models().get("c").config().materialized()).isEqualTo("table");
        assertThat(project.models().get("c").relation().schema()).isEqualTo("finance");
        assertThat(project.models().get("d").config().tagList()).containsExactly("nightly");
    }

    @Test
    void anUnchangedProjectParsesNoYamlAndLoadsTheSame() throws IOException {
        write("marts/_marts.yml", """
                version: 2
                models:
                  - name: c
                    description: "C, with a test per column"
                    config: {materialized: view, meta: {owner: ana, weight: 1.50, limit: 12345678901, ratio: 1.0e+3}}
                    columns:
                      - name: id
                        data_type: integer
                        tests: [not_null, unique]
                      - name: kind
                        tests:
                          - accepted_values: {values: [a, b], config: {severity: warn}}
                  - name: d
                    tests:
                      - relationships: {column_name: id, to: ref('c'), field: id}
                """);
        ProjectParser first = loader();
        Project before = first.parse(root, Map.of());
        assertThat(first.yamlParsed()).isEqualTo(2);

        ProjectParser second = loader();
        Project after = second.parse(root, Map.of());
        assertThat(second.yamlParsed()).as("sources.yml and _marts.yml unchanged").isZero();
        assertThat(after.models()).isEqualTo(before.models());
        assertThat(after.sources()).isEqualTo(before.sources());
        assertThat(after.tests()).isEqualTo(before.tests()).hasSize(4);
        assertThat(after.models().get("c").description()).isEqualTo("C, with a test per column");
        assertThat(after.models().get("c").config().meta()).containsEntry("ratio", 1000.0).containsEntry("weight", 1.5)
                .containsEntry("limit", 12345678901L);
    }

    @Test
    void aChangedYamlFileIsTheOnlyOneParsedAgain() throws IOException {
        loader().parse(root, Map.of());
        write("marts/_marts.yml", """
                models:
                  - name: c
                    description: Changed.
                    config: {materialized: table}
                """);

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.yamlParsed()).isEqualTo(1);
        assertThat(project.models().get("c").description()).isEqualTo("Changed.");
        assertThat(project.models().get("c").config().materialized()).isEqualTo("table");

        ProjectParser again = loader();
        again.parse(root, Map.of());
        assertThat(again.yamlParsed()).as("the changed file's new parse was kept").isZero();
    }

    @Test
    void anAddedYamlFileIsParsedAndARemovedOneLeavesNothingBehind() throws IOException {
        loader().parse(root, Map.of());
        write("marts/_more.yml", """
                models:
                  - name: d
                    description: Added.
                    columns: [{name: id, tests: [unique]}]
                """);
        ProjectParser added = loader();
        Project project = added.parse(root, Map.of());
        assertThat(added.yamlParsed()).isEqualTo(1);
        assertThat(project.models().get("d").description()).isEqualTo("Added.");
        assertThat(project.tests()).hasSize(1);

        Files.delete(root.resolve("marts/_more.yml"));
        ProjectParser removed = loader();
        project = removed.parse(root, Map.of());
        assertThat(removed.yamlParsed()).isZero();
        assertThat(project.models().get("d").description()).isNull();
        assertThat(project.tests()).isEmpty();
        assertThat(new String(Files.readAllBytes(cacheFile()), StandardCharsets.ISO_8859_1))
                .as("the removed file's entry is gone from the rewritten cache").doesNotContain("_more.yml");
    }

    @Test
    void aYamlFileBrokenSinceTheLastLoadGivesTheRealError() throws IOException {
        loader().parse(root, Map.of());
        write("marts/_marts.yml", """
                models:
                  - name: c
                    materialised: table
                """);

        assertThatThrownBy(() -> loader().parse(root, Map.of()))
                .hasMessageContaining("marts/_marts.yml")
                .hasMessageContaining("materialised");
    }

    @Test
    void aYamlValueThatJsonCannotHoldExactlyIsParsedOnEveryLoad() throws IOException {
        write("marts/_marts.yml", """
                models:
                  - name: c
                    meta: {blob: !!binary aGVsbG8=}
                """);
        loader().parse(root, Map.of());

        ProjectParser loader = loader();
        loader.parse(root, Map.of());
        assertThat(loader.yamlParsed()).as("_marts.yml holds bytes, so only sources.yml comes from the cache").isEqualTo(1);
    }

    @Test
    void aCachedRefToAModelThatIsGoneGivesTheRealError() throws IOException {
        loader().parse(root, Map.of());
        Files.delete(root.resolve("staging/b.sql"));

        assertThatThrownBy(() -> loader().parse(root, Map.of()))
                .isInstanceOf(UnknownNodeException.class)
                .hasMessageContaining("marts/d.sql")
                .hasMessageContaining("b");
    }

    @Test
    void aModelThatRecoveredFromAMissingRefIsRenderedAgainWhenThatModelAppears() throws IOException {
        write("marts/f.sql", """
                <#assign upstream = "late_" + "model">
                <#attempt>select * from ${ref(upstream)}<#recover>select 1 as id</#attempt>
                """);
        ProjectParser first = loader();
        assertThat(first.parse(root, Map.of()).models().get("f").refs()).isEmpty();
        write("staging/late_model.sql", "select 1 as id\n");

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).as("late_model is new, f asked for it").isEqualTo(2);
        assertThat(project.models().get("f").refs()).containsExactly("late_model");
    }

    @Test
    void aCorruptCacheIsIgnoredAndRewritten() throws IOException {
        loader().parse(root, Map.of());
        byte[] bytes = Files.readAllBytes(cacheFile());
        // Turn c's ref to a into a ref to b inside the body: the file still parses, the checksum does not match.
        int at = indexOf(bytes, "staging/a.sql".getBytes(StandardCharsets.UTF_8));
        assertThat(at).isPositive();
        int ref = indexOf(bytes, new byte[]{0, 1, 'a'});
        assertThat(ref).isPositive();
        bytes[ref + 2] = 'b';
        Files.write(cacheFile(), bytes);

        ProjectParser loader = loader();
        Project project = loader.parse(root, Map.of());
        assertThat(loader.rendered()).isEqualTo(4);
        assertThat(project.models().get("c").refs()).containsExactly("a");

        ProjectParser again = loader();
        again.parse(root, Map.of());
        assertThat(again.rendered()).as("the ignored file was replaced by a good one").isZero();
    }

    @Test
    void aTruncatedCacheIsIgnored() throws IOException {
        loader().parse(root, Map.of());
        byte[] bytes = Files.readAllBytes(cacheFile());
        Files.write(cacheFile(), Arrays.copyOf(bytes, bytes.length / 2));

        ProjectParser loader = loader();
        assertThat(loader.parse(root, Map.of()).models()).hasSize(4);
        assertThat(loader.rendered()).isEqualTo(4);
    }

    @Test
    void aFileThatIsNotACacheIsIgnored() throws IOException {
        Files.createDirectories(cacheFile().getParent());
        Files.writeString(cacheFile(), "{\"not\": \"a cache\"}");

        ProjectParser loader = loader();
        assertThat(loader.parse(root, Map.of()).models()).hasSize(4);
        assertThat(loader.rendered()).isEqualTo(4);
    }

    @Test
    void aCacheOfAnotherFormatVersionIsIgnored() throws IOException {
        loader().parse(root, Map.of());
        byte[] bytes = Files.readAllBytes(cacheFile());
        int format = 2 + "soma-partial-parse".length();
        bytes[format + 3]++;
        Files.write(cacheFile(), bytes);

        ProjectParser loader = loader();
        loader.parse(root, Map.of());
        assertThat(loader.rendered()).isEqualTo(4);
    }

    @Test
    void aCacheOfAnotherProjectIsIgnored() throws IOException {
        loader().parse(root, Map.of());
        Path copy = dir.resolve("copy");
        copyTree(root, copy);

        ProjectParser elsewhere = loader();
        elsewhere.parse(copy, Map.of());
        assertThat(elsewhere.rendered()).as("a cache copied with its project belongs to the first folder").isEqualTo(4);

        write("soma_project.yml", """
                name: renamed
                vars: {mat: view}
                models:
                  marts: {schema: analytics}
                """);
        ProjectParser renamed = loader();
        renamed.parse(root, Map.of());
        assertThat(renamed.rendered()).isEqualTo(4);
    }

    @Test
    void withoutPartialParseNothingIsWritten() {
        ProjectParser loader = new ProjectParser(Runnable::run, false, null);
        loader.parse(root, Map.of());
        loader.parse(root, Map.of());
        assertThat(loader.rendered()).isEqualTo(8);
        assertThat(loader.yamlParsed()).isEqualTo(4);
        assertThat(cacheFile()).doesNotExist();
    }

    private ProjectParser loader() {
        return new ProjectParser(Runnable::run, true, null);
    }

    private Path cacheFile() {
        return root.resolve("target").resolve(ParseCache.FILE_NAME);
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
