package dev.soma.cli.project;

import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import picocli.CommandLine.Command;

/** {@code soma snapshot}: runs the selected snapshots (dbt's SCD type 2). */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Run the selected snapshots: record the new versions of the rows of the relation each one reads "
                + "(dbt's SCD type 2, meta columns dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to). "
                + "Each snapshot runs in one transaction; a rerun with no change adds nothing.",
                "Exits 1 when a snapshot errors."})
public final class SnapshotCommand extends ExecuteCommand {

    @Override
    protected RunResult execute(Soma soma) {
        return soma.snapshot(options.selection());
    }
}
