package dev.soma.cli.ingest;

import picocli.CommandLine.Mixin;
import dev.soma.cli.DatabaseOptions;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;


/** The options the ingestion commands share: which project, which database. */
public final class IngestOptions {

    @Mixin
    DatabaseOptions location;

    Warehouse open() {
        return location.openInProject();
    }

    Ingest ingest(Warehouse warehouse, IngestListener listener) {
        return Ingest.builder().project(location.projectDir()).warehouse(warehouse).listener(listener).build();
    }
}
