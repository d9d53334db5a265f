package dev.soma.cli.project;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.models.api.Command;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.ShadowRelation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress display shows an internal error in a node as that node's error, with its real cause, and says
 * a publish was one transaction only when it was.
 */
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

    @Test
    void aPublishIsCalledOneTransactionOnlyWhenItIsOne() {
        assertThat(published(true)).contains("Audit passed; publishing 2 relations in one transaction\n")
                .contains("published 2 relations in one transaction (7 ms)");
        assertThat(published(false)).doesNotContain("one transaction")
                .contains("Audit passed; publishing 2 relations, one table at a time (not one atomic step, see docs/engines.md)")
                .contains("published 2 relations (each table fast-forwarded; not one atomic step, see docs/engines.md) (7 ms)");
    }

    private static String published(boolean atomic) {
        List<ShadowRelation> relations = List.of(
                new ShadowRelation("a", new Relation("m", "a"), new Relation("m", "a__audit"), ShadowRelation.TABLE),
                new ShadowRelation("b", new Relation("m", "b"), new Relation("m", "b__audit"), ShadowRelation.TABLE));
        StringWriter text = new StringWriter();
        RunProgress progress = new RunProgress(new PrintWriter(text), Ansi.OFF, false);
        progress.runStarted(Command.BUILD, 0);
        progress.publishStarted(relations.size(), atomic);
        progress.publishFinished(new PublishResult("id", PublishState.PUBLISHED, relations, List.of(), Instant.EPOCH,
                Duration.ofMillis(7), List.of(), atomic));
        progress.runFinished(new RunResult("id", Command.BUILD, Instant.EPOCH, Duration.ZERO, List.of()));
        return text.toString();
    }
}
