package dev.soma.spark;

import dev.soma.core.error.SomaException;
import dev.soma.spark.session.SparkSessions;
import dev.soma.spark.session.SparkTarget;
import dev.soma.spark.session.SparkUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a Spark target, and the one-line errors for a master or Connect server that is not there. */
class SparkTargetTest {

    @Test
    void readsATargetWithDefaults() {
        SparkTarget target = SparkTarget.fromMap("spark", Map.of("engine", "spark", "warehouse", "wh",
                "conf", Map.of("spark.executor.memory", "2g")), Path.of("/project"));
        assertThat(target.master()).isEqualTo("local[*]");
        assertThat(target.catalog()).isEqualTo("iceberg");
        assertThat(target.warehouse()).isEqualTo(Path.of("/project/wh"));
        assertThat(target.conf()).containsEntry("spark.executor.memory", "2g");
        assertThat(target.catalogType()).isEqualTo("hadoop");
        assertThat(target.catalogHasViews()).isFalse();
    }

    @Test
    void passesRestAndHiveCatalogsThroughConf() {
        SparkTarget rest = SparkTarget.fromMap("prod", Map.of("remote", "sc://spark:15002", "catalog", "lake",
                "conf", Map.of("spark.sql.catalog.lake.type", "rest", "spark.sql.catalog.lake.uri", "http://rest:8181")), null);
        assertThat(rest.isRemote()).isTrue();
        assertThat(rest.catalogType()).isEqualTo("rest");
        assertThat(rest.catalogHasViews()).isTrue();
    }

    @Test
    void refusesContradictionsAndUnknownKeys() {
        assertThatThrownBy(() -> SparkTarget.fromMap("x", Map.of("master", "local[2]", "remote", "sc://h:1"), null))
                .isInstanceOf(SomaException.class).hasMessageContaining("both master: and remote:");
        assertThatThrownBy(() -> SparkTarget.fromMap("x", Map.of("remote", "http://h:1"), null))
                .hasMessageContaining("not a Spark Connect URL");
        assertThatThrownBy(() -> SparkTarget.fromMap("x", Map.of("mastre", "local[2]"), null))
                .hasMessageContaining("unknown key mastre");
        assertThatThrownBy(() -> SparkTarget.fromMap("x", Map.of("catalog", "a.b"), null))
                .hasMessageContaining("not a plain name");
    }

    @Test
    void anUnreachableMasterIsOneLineNamingTheUrl() throws IOException {
        String url = "spark://127.0.0.1:" + closedPort();
        SparkTarget target = new SparkTarget("cluster", url, null, null, null, Map.of(), 2);
        assertThatThrownBy(() -> SparkSessions.start(target))
                .isInstanceOfSatisfying(SparkUnavailableException.class, e -> {
                    assertThat(e.url()).isEqualTo(url);
                    assertThat(e.getMessage()).startsWith("Spark master " + url + " is unreachable (target cluster)")
                            .endsWith("; start it, or fix master: in soma_project.yml").doesNotContain("\n");
                });
    }

    @Test
    void aConnectServerThatIsDownIsOneLineNamingTheUrl() throws IOException {
        String url = "sc://127.0.0.1:" + closedPort();
        SparkTarget target = new SparkTarget("remote", null, url, null, null, Map.of(), 2);
        assertThatThrownBy(() -> SparkSessions.start(target))
                .isInstanceOfSatisfying(SparkUnavailableException.class, e -> {
                    assertThat(e.url()).isEqualTo(url);
                    assertThat(e.getMessage()).startsWith("Spark Connect server " + url + " is unreachable (target remote)")
                            .endsWith("; start it, or fix remote: in soma_project.yml").doesNotContain("\n");
                });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
