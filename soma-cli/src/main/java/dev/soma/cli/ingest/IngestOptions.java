package dev.soma.cli.ingest;

import dev.soma.cli.DatabaseLocation;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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
        return findProject(projectDir);
    }

    /** {@code given} when it is a folder, else the current folder or ./models, whichever holds soma_project.yml. */
    public static Path findProject(Path given) {
        if (given != null) {
            if (!Files.isDirectory(given)) {
                throw new SomaException(ErrorCode.PROJECT_INVALID, "project folder " + given
                        + " does not exist; pass the folder holding soma_project.yml with --project-dir");
            }
            return given;
        }
        Path here = Path.of("").toAbsolutePath();
        if (Files.isRegularFile(here.resolve("soma_project.yml"))) {
            return here;
        }
        Path models = here.resolve("models");
        if (Files.isRegularFile(models.resolve("soma_project.yml"))) {
            return models;
        }
        throw new SomaException(ErrorCode.PROJECT_INVALID, "no soma_project.yml in " + here + " or " + models
                + "; pass the project folder with --project-dir");
    }

    Warehouse open() {
        return Warehouse.open(DatabaseLocation.resolve(projectDir(), null, database));
    }

    Ingest ingest(Warehouse warehouse, IngestListener listener) {
        return Ingest.builder().project(projectDir()).warehouse(warehouse).listener(listener).build();
    }
}
