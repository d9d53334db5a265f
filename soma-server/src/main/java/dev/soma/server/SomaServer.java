package dev.soma.server;

import com.sun.net.httpserver.HttpServer;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.jobs.JobQueue;
import dev.soma.models.Soma;
import dev.soma.server.internal.handler.DataHandler;
import dev.soma.server.internal.handler.HealthHandler;
import dev.soma.server.internal.handler.JobsHandler;
import dev.soma.server.internal.handler.LoadsHandler;
import dev.soma.server.internal.handler.ModelsHandler;
import dev.soma.server.internal.handler.PublishHandler;
import dev.soma.server.internal.handler.RunsHandler;
import dev.soma.server.internal.handler.ServerContext;
import dev.soma.server.internal.handler.StaticHandler;
import dev.soma.server.internal.handler.StatsHandler;
import dev.soma.server.internal.handler.WindowsHandler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.ReadSessions;
import dev.soma.server.internal.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Soma's HTTP face, as a library: health, stats, runs, models, data, jobs, loads, windows, an OpenAPI document
 * and the lineage page, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <pre>{@code
 * try (SomaServer server = SomaServer.builder()
 *         .soma(soma)                       // the project; its warehouse unless warehouse(…) is given
 *         .jobQueue(queue)                  // optional: /jobs
 *         .ingest(ingest)                   // optional: /loads
 *         .port(8080)                       // default 8080; 0 picks a free port
 *         .token(System.getenv("SOMA_SERVER_TOKEN"))   // null: writes are off
 *         .build()
 *         .start()) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>Defaults: host {@code 127.0.0.1}, port 8080, its own bounded pool of 8 threads (queue of 256;
 * beyond that the accepting thread runs the request itself, which slows clients down rather than
 * dropping them) unless the app passes an executor. Every SQL a request leads to runs in a read-only
 * transaction. Writes ({@code POST}) need {@code Authorization: Bearer <token>}. Thread-safe;
 * {@link #close()} stops gracefully.
 */
public final class SomaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SomaServer.class);

    private final HttpServer http;
    private final ExecutorService ownExecutor;
    private final ReadSessions sessions;
    private final Duration stopGrace;
    private boolean started;
    private boolean stopped;

    private SomaServer(HttpServer http, ExecutorService ownExecutor, ReadSessions sessions, Duration stopGrace) {
        this.http = http;
        this.ownExecutor = ownExecutor;
        this.sessions = sessions;
        this.stopGrace = stopGrace;
    }

    /** Starts configuring a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts accepting requests. Idempotent. */
    public synchronized SomaServer start() {
        if (!started) {
            started = true;
            http.start();
            LOG.info("serving on {}", uri());
        }
        return this;
    }

    /** The bound port (the real one when the builder asked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    /**
     * Stops accepting, lets requests in flight finish (up to the grace period, default 5 s), then stops
     * the server's own threads and sessions. An executor passed in by the app is left running. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        http.stop((int) Math.max(0, stopGrace.toSeconds()));
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                if (!ownExecutor.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    ownExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        sessions.close();
        LOG.info("stopped");
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether {@code host} names only this machine (127.0.0.0/8, ::1, localhost). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** Configures a {@link SomaServer}. Not thread-safe; the only mutable type. */
    public static final class Builder {

        private Soma soma;
        private Warehouse warehouse;
        private JobQueue jobQueue;
        private Ingest ingest;
        private Set<String> jobKinds;
        private String host = "127.0.0.1";
        private int port = 8080;
        private Executor executor;
        private int threads = 8;
        private String token;
        private Clock clock = Clock.systemUTC();
        private Duration stopGrace = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The project (required): models, docs and lineage; also the warehouse unless {@link #warehouse} is set. */
        public Builder soma(Soma soma) {
            this.soma = soma;
            return this;
        }

        /** The warehouse to read; default {@code soma.warehouse()}. */
        public Builder warehouse(Warehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /** A job queue for {@code /jobs}; without one those endpoints answer 404. */
        public Builder jobQueue(JobQueue jobQueue) {
            this.jobQueue = jobQueue;
            return this;
        }

        /**
         * The job kinds the app's workers run; {@code POST /jobs} refuses any other (such a job would stay pending
         * forever). Default: the kinds of the {@link #jobQueue}'s handlers. Give them when the workers live
         * elsewhere (another process, as with {@code soma serve} and {@code soma worker}).
         */
        public Builder jobKinds(Collection<String> jobKinds) {
            this.jobKinds = Set.copyOf(Objects.requireNonNull(jobKinds, "jobKinds"));
            return this;
        }

        /** Ingestion for {@code /loads} and the load parts of health and stats. */
        public Builder ingest(Ingest ingest) {
            this.ingest = ingest;
            return this;
        }

        /** Address to bind; default {@code 127.0.0.1}. Anything else exposes the data to the network. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port; default 8080; 0 picks a free one ({@link SomaServer#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "port must be 0-65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** The app's executor for requests; the server never shuts it down. Default: its own bounded pool. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Threads of the server's own pool (when no executor is passed); default 8. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "threads must be at least 1, not " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The bearer token that allows writes; {@code null} or blank (the default) turns writes off. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The clock for timestamps in answers; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long {@link SomaServer#stop()} waits for requests in flight; default 5 s. */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
            return this;
        }

        /**
         * Binds the port (not yet serving: call {@link SomaServer#start()}).
         *
         * @throws SomaException {@code INVALID_CONFIG} without a project; {@code DATABASE_UNAVAILABLE}-like
         *                       one-line message when the port is taken
         */
        public SomaServer build() {
            if (soma == null) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "a server needs a project: SomaServer.builder().soma(…)");
            }
            Warehouse target = warehouse != null ? warehouse : soma.warehouse();
            // The JDK server writes headers and body separately; without TCP_NODELAY a small answer waits
            // for the client's delayed ACK (~40 ms). The JDK reads this once, so an app that set it wins.
            if (System.getProperty("sun.net.httpserver.nodelay") == null) {
                System.setProperty("sun.net.httpserver.nodelay", "true");
            }
            HttpServer http;
            try {
                http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            } catch (BindException e) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "port " + port + " on " + host
                        + " is already in use; stop what holds it or pick another with --port");
            } catch (IOException e) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "cannot listen on " + host + ":" + port + ": "
                        + e.getMessage() + "; check --host and --port");
            }
            ExecutorService own = null;
            Executor chosen = executor;
            if (chosen == null) {
                AtomicInteger count = new AtomicInteger();
                own = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                        work -> {
                            Thread thread = new Thread(work, "soma-http-" + count.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        }, new ThreadPoolExecutor.CallerRunsPolicy());
                chosen = own;
            }
            ReadSessions sessions = new ReadSessions(target, threads);
            ServerContext context = new ServerContext(target, sessions, soma, jobQueue, ingest, clock);
            Router router = new Router(token);
            RunsHandler runs = new RunsHandler(context);
            ModelsHandler models = new ModelsHandler(context);
            JobsHandler jobs = new JobsHandler(context, router.json(), jobKinds);
            StaticHandler lineage = new StaticHandler("lineage/lineage.html", "text/html; charset=utf-8");
            router.get("/", lineage)
                    .get("/health", new HealthHandler(context))
                    .get("/stats", new StatsHandler(context))
                    .get("/runs", runs.list())
                    .get("/runs/{id}", runs.one())
                    .get("/models", models.list())
                    .get("/models/{name}", models.one())
                    .get("/data/{model}", new DataHandler(context))
                    .get("/jobs", jobs.list())
                    .get("/jobs/{id}", jobs.one())
                    .get("/loads", new LoadsHandler(context))
                    .get("/openapi.json", new StaticHandler("openapi.json", "application/json"))
                    .get("/lineage", lineage)
                    .get("/lineage/lineage.js", new StaticHandler("lineage/lineage.js", "text/javascript; charset=utf-8"))
                    .get("/lineage/lineage.css", new StaticHandler("lineage/lineage.css", "text/css; charset=utf-8"))
                    .get("/windows", new WindowsHandler(context))
                    .post("/jobs", jobs.enqueue())
                    .post("/jobs/process", jobs.process())
                    .post("/jobs/{id}/retry", jobs.retry())
                    .post("/publish", new PublishHandler(context).publish());
            http.createContext("/", router);
            http.setExecutor(chosen);
            return new SomaServer(http, own, sessions, stopGrace);
        }
    }
}
