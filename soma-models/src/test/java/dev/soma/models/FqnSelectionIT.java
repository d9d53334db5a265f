package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dbt's fully qualified names: [project, folders…, name], the folders counted from the model path. A
 * project laid out as dbt lays one out keeps its SQL under {@code models/}, and that folder is not part
 * of the fqn; a project whose folder is the model path (Soma's own layout) has none to strip. Either way
 * {@code -s project.sub} selects every model under sub/, nested folders included, and folder config
 * under {@code models:} names folders the same way.
 */
class FqnSelectionIT {

    @TempDir
    Path dir;

    private static final String PROJECT = """
            name: myproject
            models:
              sub: {materialized: table, inner: {tags: [deep]}}
            """;

    private List<String> names(Soma soma, String select) {
        return soma.list(Selection.of(select)).stream().map(NodeInfo::name).sorted().toList();
    }

    private void assertSelections(Soma soma, String folder) {
        assertThat(names(soma, "myproject.sub")).containsExactly("a", "b", "sub");
        assertThat(names(soma, "myproject.sub.inner")).containsExactly("b");
        assertThat(names(soma, "sub.inner.b")).containsExactly("b");
        assertThat(names(soma, "fqn:myproject.sub")).containsExactly("a", "b", "sub");
        assertThat(names(soma, "fqn:sub.inner")).containsExactly("b");
        assertThat(names(soma, "fqn:myproject.other")).containsExactly("c");
        // a path names a folder or a file without its .sql: sub/ and sub.sql
        assertThat(names(soma, "path:" + folder + "sub")).containsExactly("a", "b", "sub");
        assertThat(names(soma, "path:" + folder + "sub/a.sql")).containsExactly("a");
        assertThat(names(soma, "path:" + folder + "sub/inner")).containsExactly("b");
        // folder config: sub/ is a table, sub/inner/ is tagged deep; the model sub.sql beside the folder is neither
        assertThat(soma.node("a").materialized()).isEqualTo("table");
        assertThat(soma.node("b").materialized()).isEqualTo("table");
        assertThat(soma.node("b").tags()).contains("deep");
        assertThat(soma.node("sub").materialized()).isEqualTo("view");
        assertThat(names(soma, "tag:deep")).containsExactly("b");
    }

    private static ProjectFixture layout(Path root, String folder) {
        return ProjectFixture.in(root)
                .file("soma_project.yml", PROJECT)
                .file(folder + "sub/a.sql", "select 1 as id")
                .file(folder + "sub/inner/b.sql", "select * from ${ref('a')}")
                .file(folder + "sub.sql", "select 2 as id")
                .file(folder + "other/c.sql", "select 3 as id");
    }

    @Test
    void dbtLayoutWithAModelsFolder() {
        ProjectFixture fixture = layout(dir, "models/");
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            assertSelections(soma, "models/");
        }
    }

    @Test
    void somaLayoutWithTheProjectFolderAsModelPath() {
        ProjectFixture fixture = layout(dir, "");
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            assertSelections(soma, "");
        }
    }

    @Test
    void dbtLayoutFolderConfigThatNamesTheModelsFolderStillWorks() {
        ProjectFixture fixture = layout(dir, "models/").file("soma_project.yml", """
                name: myproject
                models:
                  models: {sub: {materialized: table, inner: {tags: [deep]}}}
                """);
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            assertSelections(soma, "models/");
        }
    }
}
