package dev.soma.models.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.models.api.Command;
import dev.soma.models.api.PreviousRun;
import dev.soma.models.error.StateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the last run's {@code run_results.json} for {@code soma retry}: dbt's rule, the nodes whose status is
 * error, fail or skipped are rerun, the failed node itself included (dbt #10164), with the flags in {@code args}.
 */
public final class RunResultsReader {

    /** dbt's RETRYABLE_STATUSES, in Soma's words. */
    static final Set<String> RETRYABLE = Set.of("error", "fail", "skipped", "runtime error", "partial success");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunResultsReader() {
    }

    /**
     * @throws StateException when there is no previous run, or its file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static PreviousRun read(Path targetDir) {
        Path file = targetDir.resolve("run_results.json");
        if (!Files.isRegularFile(file)) {
            throw new StateException(file, "no previous run to retry: there is no run_results.json; "
                    + "run soma build (or run, test) first");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new StateException(file, "the previous run's run_results.json cannot be read (" + e.getMessage()
                    + "); run soma build again");
        }
        JsonNode args = tree.path("args");
        String which = args.path("which").asText(args.path("command").asText(""));
        Command command;
        try {
            command = Command.valueOf(which.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StateException(file, "the previous run's run_results.json does not say which command ran (args.which '"
                    + which + "'); soma retry reruns build, run or test");
        }
        List<String> retry = new ArrayList<>();
        for (JsonNode result : tree.path("results")) {
            if (RETRYABLE.contains(result.path("status").asText())) {
                retry.add(result.path("unique_id").asText());
            }
        }
        return new PreviousRun(file, command, retry, JSON.convertValue(args, Map.class));
    }
}
