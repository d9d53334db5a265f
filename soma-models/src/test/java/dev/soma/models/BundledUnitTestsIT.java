package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled project's unit tests pass on an empty database: they need no warehouse. */
class BundledUnitTestsIT {

    @TempDir
    Path target;

    @Test
    void theBundledUnitTestsPassWithoutData() {
        Path project = Files.isDirectory(Path.of("../models")) ? Path.of("../models") : Path.of("models");
        try (Warehouse empty = Warehouse.inMemory();
             Soma soma = Soma.builder().project(project).warehouse(empty).targetDir(target).partialParse(false).build()) {
            RunResult run = soma.test(Selection.of("test_type:unit"));
            assertThat(run.results()).hasSizeGreaterThanOrEqualTo(4);
            for (NodeResult result : run.results()) {
                assertThat(result.status()).as(result.name() + ": " + result.message()).isEqualTo(NodeStatus.PASS);
            }
        }
    }
}
