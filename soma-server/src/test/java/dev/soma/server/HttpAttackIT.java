package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP layer under attack, over real loopback sockets: slow clients, malformed request lines, too many
 * headers, a client that leaves mid-body. Every test stops by itself within seconds.
 */
class HttpAttackIT {

    private static final String TOKEN = "attack-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inMemory().options(server -> server.token(TOKEN));

    @Test
    void sixteenSlowClientsDoNotMakeHealthUnanswerable() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> dribblers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket(fixture.server().uri().getHost(), fixture.server().port());
                sockets.add(socket);
                Thread dribbler = new Thread(() -> dribble(socket, done), "slow-client-" + i);
                dribbler.setDaemon(true);
                dribbler.start();
                dribblers.add(dribbler);
            }
            Thread.sleep(1_200);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(fixture.server().uri().resolve("/health"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            }
        } finally {
            done.set(true);
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread dribbler : dribblers) {
                dribbler.join(2_000);
            }
        }
    }

    /** One header byte every 0.5 s, for at most 5 s. */
    private static void dribble(Socket socket, AtomicBoolean done) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 10 && !done.get(); i++) {
                out.write('a');
                out.flush();
                Thread.sleep(500);
            }
        } catch (IOException | InterruptedException e) {
            // The socket was closed under us: the test is over.
        }
    }

    @Test
    void malformedUrisGetOurJson400() throws IOException {
        for (String target : List.of("/data/%zz", "/%", "/data/%E0%A4%A", "/data/a%00b")) {
            Raw answer = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(target + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.header("content-type")).as(target).startsWith("application/json");
            JsonNode body = answer.json();
            assertThat(body.get("status").asInt()).isEqualTo(400);
            assertThat(body.get("error").asText()).isEqualTo("bad_request");
            assertThat(body.get("message").asText()).isNotBlank();
            assertThat(answer.text()).doesNotContainIgnoringCase("<html").doesNotContain("Exception");
        }
    }

    @Test
    void tooManyHeadersGetAnAnswerNotADroppedConnection() throws IOException {
        StringBuilder request = new StringBuilder("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (int i = 0; i < 201; i++) {
            request.append("X-H").append(i).append(": v\r\n");
        }
        Raw answer = raw(request.append("\r\n").toString());
        assertThat(answer.status()).as(answer.text()).isIn(431, 400);
        assertThat(answer.header("content-type")).startsWith("application/json");
        assertThat(answer.json().get("message").asText()).contains("headers");

        // Too many bytes of headers, too: Jetty's own limit, same JSON shape.
        Raw huge = raw("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Big: " + "b".repeat(40_000)
                + "\r\n\r\n");
        assertThat(huge.status()).as(huge.text()).isIn(431, 400);
        assertThat(huge.json().get("error").asText()).isNotBlank();
    }

    @Test
    void aClientThatLeavesMidBodyYieldsNo500AndNoStackTrace() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket(fixture.server().uri().getHost(), fixture.server().port())) {
                    socket.getOutputStream().write(("POST /jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"kind\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(200);
                }
            }
            Thread.sleep(800);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(" 500 ");
        assertThat(new Http(fixture.server().uri()).get("/health").status()).isEqualTo(200);
    }

    @Test
    void theAppsExecutorRunsRequestsAndIsLeftRunning() {
        ExecutorService app = Executors.newFixedThreadPool(2);
        try {
            try (SomaServer embedded = SomaServer.builder().soma(fixture.soma()).warehouse(fixture.warehouse()).port(0).executor(app)
                    .build().start()) {
                Http http = new Http(embedded.uri());
                for (int i = 0; i < 5; i++) {
                    assertThat(http.get("/health").status()).isEqualTo(200);
                }
                assertThat(http.get("/nothing").status()).isEqualTo(404);
            }
            assertThat(((ThreadPoolExecutor) app).getCompletedTaskCount()).isGreaterThanOrEqualTo(5);
            assertThat(app.isShutdown()).isFalse();
        } finally {
            app.shutdownNow();
        }
    }

    private record Raw(int status, String head, String text) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }

        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }
    }

    /** Sends bytes as they are and reads the whole answer (the server closes, or 5 s pass). */
    private static Raw raw(String request) throws IOException {
        URI uri = fixture.server().uri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(bytes);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // Whatever arrived is the answer.
            }
            String all = bytes.toString(StandardCharsets.ISO_8859_1);
            assertThat(all).as("an answer, not a dropped connection").startsWith("HTTP/1.1 ");
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            String body = split < 0 ? "" : all.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Raw(Integer.parseInt(all.substring(9, 12)), head, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
