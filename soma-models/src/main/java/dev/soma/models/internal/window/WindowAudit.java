package dev.soma.models.internal.window;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.project.ModelNode;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Function;

/**
 * Re-audits the finished windows of one windowed model against its source as it is now, without
 * loading anything: per DONE window, the model's query for the window and the target's rows in it are
 * counted and checksummed under the window's predicate, and the ledger's counts and audit are updated.
 * A window whose source changed after it was loaded shows as out of audit, so {@code soma windows}
 * lists it first and {@code --windows} can reload it.
 */
public final class WindowAudit {

    /** What one audit found. */
    public record Result(int audited, int outOfAudit) {
    }

    private final ModelNode model;
    private final WindowSpec spec;
    private final Function<Window, CompiledModel> compile;
    private final SqlOwner owner;

    public WindowAudit(ModelNode model, Function<Window, CompiledModel> compile) {
        this.model = model;
        this.spec = WindowSpec.of(model.name(), model.path(), model.config());
        this.compile = compile;
        this.owner = SqlOwner.model(model.name());
    }

    /** Audits every DONE window of the model that starts in [{@code from}, {@code to}). */
    public Result run(Session session, Instant from, Instant to, Instant now) {
        WindowLedger.create(session);
        WindowLedger ledger = new WindowLedger(session);
        int audited = 0;
        int out = 0;
        String eventTime = session.engine().dialect().quote(spec.eventTime());
        for (WindowLedger.Row row : ledger.list(model.name())) {
            if (row.state() != WindowState.DONE || row.start().isBefore(from) || !row.start().isBefore(to)) {
                continue;
            }
            Window window = new Window(row.start(), row.end());
            String predicate = eventTime + " >= " + window.startLiteral() + " AND " + eventTime + " < " + window.endLiteral();
            try {
                Object[] source = stats(session, "SELECT * FROM (\n" + compile.apply(window).sql()
                        + "\n) AS soma_window_source WHERE " + predicate);
                Object[] target = stats(session, "SELECT * FROM " + model.relation().quoted(session.engine().dialect()) + " WHERE " + predicate);
                long sourceCount = (long) source[0];
                long targetCount = (long) target[0];
                boolean sameRows = source[1].equals(target[1]);
                boolean passed = spec.auditPasses(sourceCount, targetCount) && (sameRows || spec.auditTolerance() > 0);
                String result = "re-audited " + now + ": source " + sourceCount + " rows, target " + targetCount + " rows, "
                        + (sameRows ? "checksums match" : "checksums differ")
                        + (passed ? "" : "; 'soma run --windows FROM..TO' reloads it");
                if (ledger.audited(model.name(), window, sourceCount, targetCount, passed, result, now)) {
                    audited++;
                    if (!passed) {
                        out++;
                    }
                }
            } catch (SqlExecutionException e) {
                throw new ModelExecutionException(owner, null, e.sql(), e.getCause() instanceof SQLException sql ? sql
                        : new SQLException(e.getMessage(), e), e.engine());
            }
        }
        return new Result(audited, out);
    }

    private Object[] stats(Session session, String sql) {
        return session.query(owner, session.engine().fingerprint(sql), rs -> {
            rs.next();
            return new Object[] {rs.getLong(1), new BigInteger(rs.getString(2))};
        });
    }
}
