package dev.soma.cli.ingest;

import dev.soma.cli.DatabaseLocation;
import dev.soma.cli.ProjectLocation;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options the ingestion commands share: which project, which database. */
public final class IngestOptions {

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project folder (holding soma_project.yml and sources.yml). Default: the current folder if it has one, else ./models.")
    Path projectDir;

    @Option(names = "--db", paramLabel = "PATH", description = DatabaseLocation.HELP)
    Path database;

    /** The project folder: as given, or found in the current folder or ./models. */
    Path projectDir() {
        return ProjectLocation.require(projectDir);
    }

    Warehouse open() {
        return Warehouse.open(DatabaseLocation.resolve(projectDir(), null, database));
    }

    Ingest ingest(Warehouse warehouse, IngestListener listener) {
        return Ingest.builder().project(projectDir()).warehouse(warehouse).listener(listener).build();
    }
}
