package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;

import java.util.List;
import java.util.Map;

/**
 * A unit test of one model, dbt's {@code unit_tests:} entry: the model's SQL run on rows given for
 * its inputs, its output compared with the rows expected. It runs without the warehouse, so it reads
 * nothing there: in the graph it hangs below what its model reads, and {@code build} runs it before
 * the model.
 *
 * @param uniqueId    {@code unit_test.<project>.<model>.<name>}, as dbt
 * @param model       the name of the model tested
 * @param modelId     its unique id
 * @param path        the YAML file that declares it
 * @param line        the line of its {@code name:} there (0 when not found)
 * @param given       its inputs, each standing for a ref, a source or {@code this}
 * @param expect      the rows the model should return
 * @param incremental the {@code is_incremental} override, or {@code null} when none is given
 * @param vars        vars over the project's, for this test only
 * @param folders     folders of the declaring file, for fqn selection
 */
public record UnitTestNode(String uniqueId, String name, String model, String modelId, String path, int line,
                           String description, List<Input> given, Rows expect, Boolean incremental,
                           Map<String, Object> vars, NodeConfig config, List<String> folders) implements Node {

    public UnitTestNode {
        given = List.copyOf(given);
        vars = Map.copyOf(vars);
    }

    /** How rows are written: a list of mappings, CSV text, or a SQL query. */
    public enum Format {
        DICT, CSV, SQL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Rows of an input or of the expected output.
     *
     * @param format how they were written
     * @param rows   column to value, one map per row ({@code dict} and {@code csv}; a CSV value is text, an
     *               empty one {@code null}); {@code null} for {@code sql}
     * @param sql    the query giving the rows ({@code sql}); {@code null} otherwise
     */
    public record Rows(Format format, List<Map<String, Object>> rows, String sql) {

        /** No rows at all. */
        public static final Rows NONE = new Rows(Format.DICT, List.of(), null);
    }

    /**
     * One input.
     *
     * @param input  as written: {@code ref('stg_books')}, {@code source('raw', 'books')} or {@code this}
     * @param nodeId the unique id of the model, seed or source it stands for (the tested model for {@code this})
     * @param self   whether it is {@code this}
     * @param rows   its rows
     */
    public record Input(String input, String nodeId, boolean self, Rows rows) {
    }

    @Override
    public ResourceType resourceType() {
        return ResourceType.UNIT_TEST;
    }

    @Override
    public Relation relation() {
        return null;
    }

    /** dbt's fqn: the folders of the declaring file, the model, the test. */
    @Override
    public List<String> fqn() {
        return Node.fqn(folders, model, name);
    }

    /** The input standing for {@code nodeId} (not {@code this}), or {@code null} when none is given. */
    public Input inputFor(String nodeId) {
        return given.stream().filter(i -> !i.self() && i.nodeId().equals(nodeId)).findFirst().orElse(null);
    }

    /** The {@code this} input, or {@code null}. */
    public Input selfInput() {
        return given.stream().filter(Input::self).findFirst().orElse(null);
    }
}
