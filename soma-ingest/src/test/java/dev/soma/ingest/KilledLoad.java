package dev.soma.ingest;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.SourceSpec;

import java.nio.file.Path;

/**
 * The child JVM of {@link KilledLoadIT}: loads {@code args[1]} into {@code args[0]} and prints the
 * phase it reaches ("reading", "writing", …) so the parent knows when to kill it.
 */
public final class KilledLoad {

    private KilledLoad() {
    }

    public static void main(String[] args) {
        SourceSpec spec = KilledLoadIT.spec(Path.of(args[1]));
        try (Warehouse warehouse = Warehouse.open(Path.of(args[0]))) {
            Ingest ingest = Ingest.builder().warehouse(warehouse).source(spec).listener(new IngestListener() {
                @Override
                public void phase(SourceSpec source, Phase phase) {
                    System.out.println(phase.name().toLowerCase(java.util.Locale.ROOT));
                    System.out.flush();
                }
            }).build();
            System.out.println("done " + ingest.load(spec.name()));
        }
    }
}
