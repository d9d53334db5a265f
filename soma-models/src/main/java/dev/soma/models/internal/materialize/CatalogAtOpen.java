package dev.soma.models.internal.materialize;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.List;
import java.util.Map;

/**
 * What a run reads of the catalog before it builds anything, read right after the database opened, on the thread
 * that opened it, while the project was still loading: every relation of every schema ({@link RelationTypes}) and
 * the recorded view fingerprints ({@link ViewLedger}). Reading them when the run starts instead took 0.2 s of a
 * 10,000-view re-run's critical path.
 *
 * <p>Only true while nothing has written to the database since: {@code LazyWarehouse} hands it out once, to the
 * first user of the warehouse it was read on, and never after anyone else used that warehouse. Immutable.
 *
 * @param relations    the tables and views of every schema
 * @param fingerprints the view ledger's rows, by key (empty when it has none)
 */
public record CatalogAtOpen(RelationTypes relations, Map<String, String> fingerprints) {

    private static final SqlOwner OWNER = SqlOwner.soma("catalog read at open");

    public CatalogAtOpen {
        fingerprints = Map.copyOf(fingerprints);
    }

    /** Reads it on {@code session}. */
    public static CatalogAtOpen read(Session session) {
        List<String> schemas = session.queryList(OWNER, "SELECT schema_name FROM information_schema.schemata"
                + " WHERE catalog_name = current_database()", rs -> rs.getString(1));
        return new CatalogAtOpen(RelationTypes.load(session, schemas), ViewLedger.load(session));
    }
}
