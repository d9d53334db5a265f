package dev.soma.cli.ingest;

import dev.soma.cli.DatabaseOptions;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;
import picocli.CommandLine.Mixin;

import java.util.function.ToIntFunction;

/** The options the ingestion commands share: which project, which database. */
public final class IngestOptions {

    @Mixin
    DatabaseOptions location;

    Warehouse open() {
        return location.openInProject();
    }

    /** Opens the database and the project's ingestion, for commands that only look; returns what {@code work} returns. */
    int look(ToIntFunction<Ingest> work) {
        try (Warehouse warehouse = open()) {
            return work.applyAsInt(ingest(warehouse, IngestListener.NONE));
        }
    }

    Ingest ingest(Warehouse warehouse, IngestListener listener) {
        return Ingest.builder().project(location.projectDir()).warehouse(warehouse).listener(listener).build();
    }
}
