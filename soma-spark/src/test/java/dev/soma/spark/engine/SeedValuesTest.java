package dev.soma.spark.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SeedValuesTest {

    @Test
    void parsesQuotedFieldsAndLineEnds() {
        assertThat(SeedValues.parse("a,b\r\n\"x, \"\"y\"\"\",2\n\n3,\n"))
                .containsExactly(List.of("a", "b"), List.of("x, \"y\"", "2"), List.of("3", ""));
    }

    @Test
    void rendersInlineRowsWithInferredAndDeclaredTypes(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("channels.csv");
        Files.writeString(csv, "id,name,weight,day,flag\n1,it's,1.5,2024-01-02,true\n2,,2,2024-01-03,false\n");
        String sql = SeedValues.query(csv.toString(), Map.of("id", "INT"), new SparkDialect("iceberg"));
        assertThat(sql).startsWith("SELECT CAST(c0 AS INT) AS `id`, CAST(c1 AS STRING) AS `name`, CAST(c2 AS DOUBLE) AS `weight`, "
                + "CAST(c3 AS DATE) AS `day`, CAST(c4 AS BOOLEAN) AS `flag` FROM VALUES")
                .contains("('1', 'it\\'s', '1.5', '2024-01-02', 'true')")
                .contains("('2', CAST(NULL AS STRING), '2', '2024-01-03', 'false')")
                .endsWith("AS seed(c0, c1, c2, c3, c4)");
    }
}
