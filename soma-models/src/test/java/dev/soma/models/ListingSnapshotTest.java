package dev.soma.models;

import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.listing.ListingSnapshot;
import dev.soma.models.internal.parser.ProjectFingerprint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SomaBuilder#listAll()} and its snapshot {@code target/ls_snapshot.bin}, on real files: the listing is the one a
 * full load gives, read from the snapshot only while no input changed, and after every kind of change the load's again.
 */
class ListingSnapshotTest {

    @TempDir
    Path dir;

    private Path root;
    /** Files are stamped in the past, a second apart per change, as if written long before the command. */
    private Instant stamp = Instant.now().minusSeconds(3600);

    @BeforeEach
    void project() throws IOException {
        root = dir.resolve("project");
        write("soma_project.yml", """
                name: snap
                vars: {mat: view}
                models:
                  marts: {schema: analytics}
                targets:
                  dev: {database: dev.duckdb}
                  prod: {database: prod.duckdb}
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    tables: [{name: events, columns: [{name: id, tests: [not_null]}]}]
                """);
        write("macros/upstream.ftl", "<#function upstream>\n  <#return ref(\"a\")>\n</#function>\n");
        write("staging/a.sql", "select id from ${source('raw', 'events')}\n");
        write("staging/b.sql", "select id from ${source('raw', 'events')}\n");
        write("marts/c.sql", "select * from ${upstream()}\n");
        write("marts/d.sql", "<@config materialized=var(\"mat\")/>\nselect * from ${ref('b')}\n");
        write("marts/_marts.yml", """
                models:
                  - name: c
                    description: the c model
                    config: {tags: [nightly]}
                    columns:
                      - name: id
                        tests: [unique, not_null]
                """);
        write("tests/no_negative.sql", "select * from ${ref('d')} where id < 0\n");
    }

    @Test
    void anUnchangedProjectIsListedFromTheSnapshotExactlyAsLoaded() {
        List<NodeInfo> loaded = loadedListing(Map.of(), null);
        assertThat(builder().listAll()).isEqualTo(loaded);
        assertThat(root.resolve("target").resolve(ListingSnapshot.FILE_NAME)).isRegularFile();

        List<NodeInfo> kept = ListingSnapshot.read(root.resolve("target"), ProjectFingerprint.take(root, null, Map.of()));
        assertThat(kept).isEqualTo(loaded);
        assertThat(builder().listAll()).isEqualTo(loaded);
        assertThat(loaded).extracting(NodeInfo::name).contains("a", "b", "c", "d", "no_negative");
    }

    @Test
    void everyKindOfChangeIsListedAsTheLoadListsIt() throws IOException {
        List<Runnable> changes = List.of(
                () -> write("marts/c.sql", "select * from ${ref('b')} join ${upstream()} using (id)\n"),   // a changed model
                () -> write("marts/e.sql", "select * from ${ref('c')}\n"),                                 // an added model
                () -> delete("marts/e.sql"),                                                               // a removed model
                () -> write("marts/_marts.yml", """
                        models:
                          - name: c
                            description: the c model, again
                            config: {tags: [hourly]}
                        """),                                                                             // YAML
                () -> write("macros/upstream.ftl", "<#function upstream>\n  <#return ref(\"b\")>\n</#function>\n"), // a macro
                () -> write("soma_project.yml", """
                        name: snap
                        vars: {mat: table}
                        models:
                          marts: {schema: analytics}
                        targets:
                          dev: {database: dev.duckdb}
                          prod: {database: prod.duckdb}
                        """),                                                                             // a var
                () -> write("staging/b.sql", "select id from ${source('raw', 'events')}\n"));               // same bytes, new time
        List<NodeInfo> before = builder().listAll();
        for (Runnable change : changes) {
            change.run();
            List<NodeInfo> loaded = loadedListing(Map.of(), null);
            assertThat(builder().listAll()).as("after a change").isEqualTo(loaded);
            assertThat(builder().listAll()).as("again, from the snapshot").isEqualTo(loaded);
        }
        assertThat(builder().listAll()).isNotEqualTo(before);
    }

    @Test
    void varsAndTheTargetGivenToTheLoadAreInputsToo() {
        List<NodeInfo> plain = builder().listAll();
        List<NodeInfo> overridden = builder().vars(Map.of("mat", "table")).listAll();
        assertThat(overridden).isEqualTo(loadedListing(Map.of("mat", "table"), null)).isNotEqualTo(plain);
        assertThat(builder().listAll()).isEqualTo(plain);
        assertThat(builder().target("prod").listAll()).isEqualTo(loadedListing(Map.of(), "prod"));
        assertThat(ListingSnapshot.read(root.resolve("target"), ProjectFingerprint.take(root, null, Map.of()))).isNull();
        assertThat(ListingSnapshot.read(root.resolve("target"), ProjectFingerprint.take(root, "prod", Map.of()))).isNotNull();
    }

    @Test
    void aFileChangedInTheLastSecondsLeavesNoSnapshot() throws IOException {
        Files.writeString(root.resolve("staging/a.sql"), "select id + 1 as id from ${source('raw', 'events')}\n");
        assertThat(ProjectFingerprint.take(root, null, Map.of()).settled()).isFalse();
        assertThat(builder().listAll()).isEqualTo(loadedListing(Map.of(), null));
        assertThat(root.resolve("target").resolve(ListingSnapshot.FILE_NAME)).doesNotExist();
    }

    @Test
    void aDamagedSnapshotIsIgnoredAndReplaced() throws IOException {
        List<NodeInfo> loaded = builder().listAll();
        Path file = root.resolve("target").resolve(ListingSnapshot.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        assertThat(ListingSnapshot.read(root.resolve("target"), ProjectFingerprint.take(root, null, Map.of()))).isNull();
        assertThat(builder().listAll()).isEqualTo(loaded);
        assertThat(ListingSnapshot.read(root.resolve("target"), ProjectFingerprint.take(root, null, Map.of())))
                .isEqualTo(loaded);
        Files.write(file, new byte[] {1, 2, 3});
        assertThat(builder().listAll()).isEqualTo(loaded);
    }

    @Test
    void aLoadThatWarnsIsNotKeptSoItWarnsAgain() {
        write("soma_project.yml", """
                name: snap
                vars: {mat: view}
                models:
                  marts: {schema: analytics}
                  mrats: {schema: analytics}
                """);
        assertThat(builder().listAll()).isEqualTo(loadedListing(Map.of(), null));
        assertThat(root.resolve("target").resolve(ListingSnapshot.FILE_NAME)).doesNotExist();
    }

    @Test
    void noPartialParseReadsNoSnapshot() {
        builder().listAll();
        write("marts/c.sql", "select * from ${ref('b')}\n");
        assertThat(builder().partialParse(false).listAll()).isEqualTo(loadedListing(Map.of(), null));
    }

    private SomaBuilder builder() {
        return Soma.builder().project(root);
    }

    /** The listing of a full load without any cache, in a target folder of its own. */
    private List<NodeInfo> loadedListing(Map<String, Object> vars, String target) {
        try (Soma soma = Soma.builder().project(root).vars(vars).target(target).partialParse(false)
                .targetDir(dir.resolve("elsewhere")).build()) {
            return soma.list(Selection.all());
        }
    }

    private void write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            stamp = stamp.plusSeconds(1);
            Files.setLastModifiedTime(file, FileTime.from(stamp));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
