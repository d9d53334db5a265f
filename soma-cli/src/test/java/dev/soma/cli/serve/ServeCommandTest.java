package dev.soma.cli.serve;

import dev.soma.cli.CliRun;
import dev.soma.cli.SomaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {

    @TempDir
    Path dir;

    private Path project() throws IOException {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("soma_project.yml"), "name: serve_fixture\nversion: 1.0.0\n");
        Files.writeString(project.resolve("models/one.sql"), "select 1 as id\n");
        return project;
    }

    @Test
    void aTakenPortIsOneLineAndExit2() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("serve", "--project-dir", project().toString(), "--db", dir.resolve("s.duckdb").toString(),
                    "--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip()).contains("already in use").contains("--port").doesNotContain("\n\tat ");
            assertThat(run.err().strip().lines().count()).isEqualTo(1);
        }
    }

    @Test
    void servesUntilStoppedAndWarnsOffLoopback() throws Exception {
        CommandLine commandLine = SomaCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        ServeCommand serve = (ServeCommand) commandLine.getSubcommands().get("serve").getCommand();
        AtomicInteger exit = new AtomicInteger(-1);
        String project = project().toString();
        Thread thread = new Thread(() -> exit.set(commandLine.execute("serve", "--project-dir", project,
                "--db", dir.resolve("s.duckdb").toString(), "--host", "0.0.0.0", "--port", "0")));
        thread.start();
        Matcher port = null;
        for (int i = 0; i < 200 && (port == null || !port.find()); i++) {
            Thread.sleep(50);
            port = Pattern.compile(":(\\d+)/ \\(lineage").matcher(out.toString());
        }
        assertThat(err.toString()).contains("warning: listening on 0.0.0.0");
        assertThat(out.toString()).contains("serving serve_fixture").contains("writes off");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        serve.stop.countDown();
        thread.join(10_000);
        assertThat(exit.get()).isZero();
    }
}
