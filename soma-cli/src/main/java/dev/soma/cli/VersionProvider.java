package dev.soma.cli;

import dev.soma.core.SomaVersion;
import dev.soma.core.warehouse.Warehouse;
import picocli.CommandLine.IVersionProvider;

/** {@code soma --version}: Soma's version, the DuckDB it embeds, and the Java it runs on. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String duckdb;
        try (Warehouse probe = Warehouse.inMemory()) {
            duckdb = probe.duckdbVersion();
        }
        return new String[]{
                "soma " + SomaVersion.get(),
                "DuckDB " + duckdb + ", Java " + System.getProperty("java.version")};
    }
}
