package dev.soma.cli.project;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.models.api.Command;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress display shows an internal error in a node as that node's error, with its real cause. */
class RunProgressTest {

    @Test
    void anInternalErrorInANodeIsShownAsThatNodesError() {
        NodeInfo node = new NodeInfo("model.p.a", "a", ResourceType.MODEL, "a.sql", null, "table", List.of(), List.of(), null);
        SomaException error = new SomaException(ErrorCode.INTERNAL, "internal error in model a: "
                + new NullPointerException("a bug"), new NullPointerException("a bug"));
        NodeResult failed = new NodeResult(node, NodeStatus.ERROR, error.getMessage(), -1, -1, List.of(), Instant.EPOCH,
                Duration.ZERO, null, null, error);
        StringWriter text = new StringWriter();
        RunProgress progress = new RunProgress(new PrintWriter(text), Ansi.OFF, false);
        progress.runStarted(Command.RUN, 1);
        progress.nodeStarted(node, 1, 1);
        progress.nodeFinished(failed, 1, 1);
        progress.runFinished(new RunResult("id", Command.RUN, Instant.EPOCH, Duration.ZERO, List.of(failed)));
        assertThat(text.toString()).contains("ERROR in model a (a.sql)").contains("NullPointerException: a bug")
                .doesNotContain("internal error: java.lang.NullPointerException\n");
    }
}
