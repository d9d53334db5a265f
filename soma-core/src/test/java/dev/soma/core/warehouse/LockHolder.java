package dev.soma.core.warehouse;

import java.nio.file.Path;

/**
 * Run in a second JVM by the lock tests: opens the database given as the only argument, prints
 * {@code locked}, and holds it until its standard input closes.
 */
public final class LockHolder {

    public static void main(String[] args) throws Exception {
        try (Warehouse warehouse = Warehouse.open(Path.of(args[0]))) {
            warehouse.execute(SqlOwner.loader("lock-holder"), "CREATE TABLE IF NOT EXISTS held (v INTEGER)");
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }

    /** Starts a holder on {@code file} and waits until it has the lock. */
    public static Process start(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
        String line = reader.readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("lock holder did not start: " + line);
        }
        return process;
    }
}
