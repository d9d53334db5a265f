package dev.soma.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of Soma this library was built as. */
public final class SomaVersion {

    private static final String VERSION = load();

    private SomaVersion() {
    }

    /** E.g. {@code 0.1.0}, or {@code unknown} when run from unpackaged classes without resources. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = SomaVersion.class.getResourceAsStream("version.properties")) {
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
