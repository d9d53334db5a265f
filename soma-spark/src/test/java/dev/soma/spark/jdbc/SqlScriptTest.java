package dev.soma.spark.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        assertThat(SqlScript.split("SELECT 'a;b'; SELECT `x;y` -- c;d\n; /* e;f */ SELECT \"g;h\";; -- only a comment"))
                .containsExactly("SELECT 'a;b'", "SELECT `x;y` -- c;d", "/* e;f */ SELECT \"g;h\"");
        assertThat(SqlScript.split("SELECT 'it''s; \\' here'")).containsExactly("SELECT 'it''s; \\' here'");
    }

    @Test
    void findsTheTupleOfASingleRowInsert() {
        assertThat(SqlScript.singleValuesTuple("INSERT INTO t VALUES (?, ?, 'a)', NULL)")).isEqualTo("(?, ?, 'a)', NULL)");
        assertThat(SqlScript.singleValuesTuple("insert into t values (?), (?)")).isNull();
        assertThat(SqlScript.singleValuesTuple("INSERT INTO t SELECT * FROM s")).isNull();
        assertThat(SqlScript.singleValuesTuple("UPDATE t SET a = ? WHERE b IN (?)")).isNull();
        assertThat(SqlScript.batchInsert("INSERT INTO t VALUES (?, '?', ?)", java.util.List.of(
                java.util.Arrays.asList("it's", 1L), java.util.Arrays.asList(null, 2.5))))
                .isEqualTo("INSERT INTO t VALUES ('it\\'s', '?', 1L), (NULL, '?', CAST(2.5 AS DOUBLE))");
    }

    @Test
    void bindsParametersAsLiteralsOutsideQuotesAndComments() {
        assertThat(SqlScript.bind("INSERT INTO t VALUES (?, '?', NULL, ?) -- ?", new Object[] {"a'b\\c",
                java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5)}))
                .isEqualTo("INSERT INTO t VALUES ('a\\'b\\\\c', '?', NULL, TIMESTAMP'2024-01-02 03:04:05.000000') -- ?");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqlScript.bind("SELECT ?", new Object[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tellsQueriesFromCommands() {
        assertThat(SqlScript.isQuery("  -- note\n (SELECT 1)")).isTrue();
        assertThat(SqlScript.isQuery("WITH a AS (SELECT 1) SELECT * FROM a")).isTrue();
        assertThat(SqlScript.isQuery("SHOW TABLES IN x")).isTrue();
        assertThat(SqlScript.isQuery("/* x */ CREATE TABLE t AS SELECT 1")).isFalse();
        assertThat(SqlScript.isQuery("MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE")).isFalse();
        assertThat(SqlScript.isTransactionControl("BEGIN TRANSACTION READ ONLY")).isTrue();
        assertThat(SqlScript.isTransactionControl("rollback")).isTrue();
    }
}
