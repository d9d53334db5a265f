package dev.soma.models.internal.publish;

import dev.soma.core.engine.AuditBranches;
import dev.soma.core.engine.Engine;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ShadowRelation;
import dev.soma.models.error.PublishRefusedException;
import dev.soma.models.internal.materialize.IncrementStatements;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.ViewLedger;
import dev.soma.models.internal.materialize.RelationTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a shadow live, or drops it, each in one transaction. Publishing is catalog work, plus the
 * increments: an incremental model's increment, kept beside its live table, is applied to it (work in
 * proportion to the increment, nothing for an empty one); a live table is dropped and its shadow renamed
 * over it (same schema, see {@link ShadowLayout}); a view is recreated on the live names from the SQL
 * recorded at audit time. A reader on another connection sees the database before the commit or after
 * it, never a mix; a process killed before the commit leaves everything as it was. Stateless.
 */
public final class Publisher {

    private static final SqlOwner OWNER = SqlOwner.soma("publish");

    private Publisher() {
    }

    /**
     * Whether {@link #publish} makes every relation live in one atomic step: one transaction, unless the
     * engine has {@linkplain AuditBranches audit branches}, which are fast-forwarded one table at a time.
     */
    public static boolean isAtomic(Session session) {
        return session.engine().auditBranches().isEmpty();
    }

    /**
     * Makes the shadow of {@code runId} live and records it published, in one transaction; on an engine
     * with {@linkplain AuditBranches audit branches}, one table at a time ({@link BranchPublisher}).
     *
     * @param checkLive compare each live relation with its fingerprint taken at audit time first
     *                  ({@code soma publish}, which runs after the build that audited)
     * @throws PublishRefusedException when live changed since the audit, a shadow relation is missing, or
     *                                 the shadow is no longer waiting (published or discarded meanwhile);
     *                                 nothing was changed
     */
    public static void publish(Session session, String runId, List<PublishLedger.Entry> entries, boolean checkLive,
                               Instant now) {
        Optional<AuditBranches> branches = session.engine().auditBranches();
        if (branches.isPresent()) {
            BranchPublisher.publish(session, branches.get(), runId, entries, now);
            return;
        }
        session.inTransaction(OWNER, tx -> {
            if (checkLive) {
                refuseIfLiveChanged(tx, runId, entries);
            }
            RelationTypes types = RelationTypes.load(tx, schemas(entries));
            List<String> missing = new ArrayList<>();
            for (PublishLedger.Entry entry : entries) {
                ShadowRelation r = entry.relation();
                if (r.isIncrement() && types.typeOf(IncrementStatements.deltaFor(r.live())) != RelationType.TABLE) {
                    missing.add(IncrementStatements.deltaFor(r.live()).toString());
                } else if (!r.isView() && !r.isIncrement() && types.typeOf(r.shadow()) != RelationType.TABLE) {
                    missing.add(r.shadow().toString());
                }
            }
            if (!missing.isEmpty()) {
                throw new PublishRefusedException(PublishRefusedException.Reason.SHADOW_MISSING, missing,
                        "cannot publish run " + runId + ": its shadow lacks " + String.join(", ", missing)
                                + " (dropped by hand?); nothing was changed. Build again with --publish");
            }
            for (PublishLedger.Entry entry : entries) {
                ShadowRelation r = entry.relation();
                if (r.isIncrement()) {
                    applyIncrement(tx, entry);
                    drop(tx, r.shadow(), types.typeOf(r.shadow()));
                }
            }
            // Live relations are replaced here, not by a run: no view fingerprint may describe them any longer.
            ViewLedger.forget(tx, entries.stream().map(entry -> ViewLedger.key(entry.relation().live())).toList());
            // Tables before views, so that every view below binds to the new live tables.
            for (PublishLedger.Entry entry : entries) {
                ShadowRelation r = entry.relation();
                if (!r.isView() && !r.isIncrement()) {
                    drop(tx, r.live(), types.typeOf(r.live()));
                    tx.execute(OWNER, tx.engine().renameTable(r.shadow().schema(), r.shadow().identifier(), r.live().identifier()));
                }
            }
            for (PublishLedger.Entry entry : entries) {
                ShadowRelation r = entry.relation();
                if (r.isView()) {
                    drop(tx, r.shadow(), types.typeOf(r.shadow()));
                    if (types.typeOf(r.live()) == RelationType.TABLE) {
                        drop(tx, r.live(), RelationType.TABLE);
                    }
                    tx.execute(OWNER, "CREATE OR REPLACE VIEW " + r.live().quoted(tx.engine().dialect()) + " AS\n"
                            + entry.viewSql() + "\n");
                }
            }
            if (!new PublishLedger(tx).move(runId, List.of(PublishState.AUDITED), PublishState.PUBLISHED, now)) {
                throw new PublishRefusedException(PublishRefusedException.Reason.NO_SHADOW, List.of(),
                        "cannot publish run " + runId + ": it is no longer waiting to be published (published or "
                                + "discarded by another process); nothing was changed");
            }
            return null;
        });
    }

    /**
     * Drops every shadow relation of {@code runId} that exists, and the increments kept beside live tables,
     * and records it discarded, in one transaction.
     */
    public static void discard(Session session, String runId, List<PublishLedger.Entry> entries, Instant now) {
        Optional<AuditBranches> branches = session.engine().auditBranches();
        if (branches.isPresent()) {
            BranchPublisher.discard(session, branches.get(), runId, entries, now);
            return;
        }
        session.inTransaction(OWNER, tx -> {
            Set<String> schemas = schemas(entries);
            // A build stopped before its audit recorded no kinds yet: any relation may have an increment.
            schemas.add(RunStore.SCHEMA);
            RelationTypes types = RelationTypes.load(tx, schemas);
            for (PublishLedger.Entry entry : entries) {
                drop(tx, entry.relation().shadow(), types.typeOf(entry.relation().shadow()));
                Relation delta = IncrementStatements.deltaFor(entry.relation().live());
                drop(tx, delta, types.typeOf(delta));
            }
            new PublishLedger(tx).move(runId, List.of(PublishState.BUILDING, PublishState.AUDITED, PublishState.FAILED),
                    PublishState.DISCARDED, now);
            return null;
        });
    }

    /**
     * What {@code live} holds now, to tell later whether it changed: a table's columns, row count and the
     * sum of its rows' hashes; a view's definition; {@code absent}. One scan of a table.
     */
    public static String fingerprint(Session session, Relation live) {
        RelationType type = RelationType.of(session.relationType(live.schema(), live.identifier()));
        if (type == null) {
            return "absent";
        }
        Engine engine = session.engine();
        if (type == RelationType.VIEW) {
            return "view:" + engine.viewDefinition(session, live.schema(), live.identifier());
        }
        String columns = engine.columns(session, live.schema(), live.identifier()).stream()
                .map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
        String content = session.query(OWNER, engine.fingerprint("SELECT * FROM " + live.quoted(engine.dialect())),
                rs -> rs.next() ? rs.getLong(1) + ":" + rs.getString(2) : "");
        return "table:" + columns + ":" + content;
    }

    private static void refuseIfLiveChanged(Session tx, String runId, List<PublishLedger.Entry> entries) {
        List<String> changed = new ArrayList<>();
        boolean unknown = false;
        for (PublishLedger.Entry entry : entries) {
            if (entry.fingerprint() == null) {
                unknown = true;
            } else if (!Objects.equals(entry.fingerprint(), fingerprint(tx, entry.relation().live()))) {
                changed.add(entry.relation().live().toString());
            }
        }
        if (unknown) {
            throw new PublishRefusedException(PublishRefusedException.Reason.LIVE_CHANGED, List.of(),
                    "cannot publish run " + runId + ": it was built to publish at once and stopped before it did, so "
                            + "nothing says whether the live relations changed since; nothing was changed. Build again "
                            + "(soma build --publish), or drop this shadow with 'soma publish --discard'");
        }
        if (!changed.isEmpty()) {
            throw new PublishRefusedException(PublishRefusedException.Reason.LIVE_CHANGED, changed,
                    "cannot publish run " + runId + ": " + String.join(", ", changed) + (changed.size() == 1 ? " has" : " have")
                            + " changed since the audit, and publishing would throw that change away; nothing was "
                            + "changed. Build and audit again (soma build --audit), or 'soma publish --discard'");
        }
    }

    /** Applies an audited increment to its live table (skipped when it is empty), then drops it. */
    private static void applyIncrement(Session tx, PublishLedger.Entry entry) {
        Relation delta = IncrementStatements.deltaFor(entry.relation().live());
        if (tx.queryLong(OWNER, "SELECT count(*) FROM (SELECT 1 FROM " + delta.quoted(tx.engine().dialect()) + " LIMIT 1)") > 0) {
            entry.applySql().forEach(statement -> tx.execute(OWNER, statement));
        }
        tx.execute(OWNER, "DROP TABLE " + delta.quoted(tx.engine().dialect()));
    }

    private static void drop(Session tx, Relation relation, RelationType type) {
        if (type == RelationType.TABLE) {
            tx.execute(OWNER, "DROP TABLE " + relation.quoted(tx.engine().dialect()));
        } else if (type == RelationType.VIEW) {
            tx.execute(OWNER, "DROP VIEW " + relation.quoted(tx.engine().dialect()));
        }
    }

    private static Set<String> schemas(List<PublishLedger.Entry> entries) {
        Set<String> schemas = new TreeSet<>();
        entries.forEach(entry -> {
            schemas.add(entry.relation().live().schema());
            if (entry.relation().isIncrement()) {
                schemas.add(IncrementStatements.deltaFor(entry.relation().live()).schema());
            }
        });
        return schemas;
    }
}
