package dev.soma.cli;

import dev.soma.core.warehouse.Warehouse;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code soma --version}: Soma's version, the DuckDB it embeds, and the Java it runs on. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String duckdb;
        try (Warehouse probe = Warehouse.inMemory()) {
            duckdb = probe.duckdbVersion();
        }
        return new String[]{
                "soma " + somaVersion(),
                "DuckDB " + duckdb + ", Java " + System.getProperty("java.version")};
    }

    /** The version this jar was built as. */
    public static String somaVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
