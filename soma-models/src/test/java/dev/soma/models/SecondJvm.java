package dev.soma.models;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Kills a second JVM with SIGKILL in the middle of its work, for the tests of what a killed run leaves behind. */
final class SecondJvm {

    private SecondJvm() {
    }

    /**
     * Starts {@code main} in a second JVM on this test's classpath, waits for its first line to be {@code started},
     * lets it work for {@code workMillis}, checks it is still at it ({@code stillRunning} says what) and kills it.
     */
    static void killWhileRunning(Class<?> main, List<String> args, String started, long workMillis, String stillRunning)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        Process victim = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(victim.getInputStream()))) {
            assertThat(reader.readLine()).isEqualTo(started);
            Thread.sleep(workMillis);
            assertThat(victim.isAlive()).as(stillRunning).isTrue();
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
