package dev.soma.core.engine;

import dev.soma.core.warehouse.Session;

/**
 * Write-audit-publish on an engine whose tables have branches (Iceberg's own write-audit-publish): a
 * publish build writes each table's new rows to a branch of that table, its tests read the branch, and
 * publishing moves the table's {@code main} branch to the audited snapshot (a fast-forward), one table at
 * a time. Engines without branches ({@link Engine#auditBranches()} empty) build into shadow tables beside
 * the live ones and make them live by renames in one transaction.
 *
 * <p>Names: the audit copy of table {@code schema.name} is the relation {@code schema.name__audit}
 * ({@link #SUFFIX}); the engine's {@linkplain Engine#dialect() dialect} renders that name as the branch of
 * the table, and its materializations ({@link Engine#replaceTable}, the incremental strategies) write to
 * the branch when given such a name. There is one audit branch per table, {@link #BRANCH}: a database has
 * one open publish build at a time.
 *
 * <p>Each method works on one table and is one or a few atomic catalog commits; none spans tables.
 * Implementations are immutable and thread-safe.
 */
public interface AuditBranches {

    /** Appended to a live name to name its audit copy: {@code fact_sales__audit}. */
    String SUFFIX = "__audit";

    /** The name of the audit branch on every table. */
    String BRANCH = "soma_audit";

    /** Whether {@code name} names an audit copy ({@code <live>__audit}). */
    static boolean isAuditName(String name) {
        return name.length() > SUFFIX.length() && name.endsWith(SUFFIX);
    }

    /** The live name of audit copy {@code name} ({@code fact_sales__audit} to {@code fact_sales}). */
    static String liveName(String name) {
        return name.substring(0, name.length() - SUFFIX.length());
    }

    /**
     * Starts the audit branch of live table {@code schema.name} at its current rows, replacing a branch
     * left behind (an incremental model's audit starts from what is live: the branch shares its files,
     * nothing is copied).
     */
    void branch(Session session, String schema, String name);

    /** Whether live table {@code schema.name} has an audit branch. */
    boolean exists(Session session, String schema, String name);

    /**
     * Why the audit branch of {@code schema.name} cannot be made live, or {@code null} when it can: the
     * live table changed after the branch was started ({@code main} is no longer an ancestor of the branch),
     * so a fast-forward would throw that change away.
     */
    String conflict(Session session, String schema, String name);

    /**
     * Makes the audit branch of {@code schema.name} live: {@code main} fast-forwarded to it, one atomic
     * commit of this table. Repeating it once {@code main} is there changes nothing, so a publish stopped
     * half-way is finished by running it again.
     */
    void publish(Session session, String schema, String name);

    /**
     * Drops the audit branch of {@code schema.name} if there is one, and the table itself when it was made
     * only to hold the branch (its {@code main} never had a snapshot: nothing live is lost).
     */
    void drop(Session session, String schema, String name);
}
