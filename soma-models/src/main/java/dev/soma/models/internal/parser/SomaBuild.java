package dev.soma.models.internal.parser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Which build of Soma is running: what a cache written by one build must not be read by another for. Loads nothing
 * but the JDK, so a cache can check it before anything heavier is needed.
 */
public final class SomaBuild {

    private SomaBuild() {
    }

    /** The version and the jar's path, size and time (the class folder's path in a test). */
    public static String identity() {
        String version = SomaBuild.class.getPackage().getImplementationVersion();
        String where = "unknown";
        try {
            CodeSource source = SomaBuild.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    where = new StringBuilder().append(location).append(':').append(Files.size(location)).append(':')
                            .append(Files.getLastModifiedTime(location).toMillis()).toString();
                } else {
                    where = location.toString();
                }
            }
        } catch (Exception e) {
            // an unusual class loader: the version alone identifies the build
        }
        return new StringBuilder().append(version).append('@').append(where).toString(); // no indy concat: see ProjectFingerprint
    }
}
