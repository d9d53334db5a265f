package dev.soma.server;

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
import dev.soma.server.internal.http.JsonErrors;
import dev.soma.server.internal.lineage.LineageHandler;
import dev.soma.server.internal.http.ReadSessions;
import dev.soma.server.internal.http.Router;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Soma's HTTP face, as a library: health, stats, runs, models, data, jobs, loads, windows, an OpenAPI document
 * and the lineage page, on Jetty's core API (no servlets).
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
 * <p>Defaults: host {@code 127.0.0.1}, port 8080, requests on its own pool of 8 threads (plus three that
 * accept and read connections) unless the app passes an executor, which then runs every request
 * while two threads of the server's read and write the sockets. Connections are read without blocking a
 * thread, so slow clients hold no request thread; a connection idle for 30 s is closed. Request line and
 * headers may take 16 KiB (more: 414 or 431), at most 100 headers (more: 431); Jetty's own error answers
 * are the same JSON as the endpoints'. Every SQL a request leads to runs in a read-only transaction. Writes
 * ({@code POST}) need {@code Authorization: Bearer <token>}. Thread-safe; {@link #close()} stops gracefully.
 */
public final class SomaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SomaServer.class);

    /** Request line and headers together, in bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Server http;
    private final ServerConnector connector;
    private final String host;
    private final ReadSessions sessions;
    private final List<String> routes;
    private boolean started;
    private boolean stopped;

    private SomaServer(Server http, ServerConnector connector, String host, ReadSessions sessions, List<String> routes) {
        this.routes = routes;
        this.http = http;
        this.connector = connector;
        this.host = host;
        this.sessions = sessions;
    }

    /** Starts configuring a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts accepting requests. Idempotent. */
    public synchronized SomaServer start() {
        if (!started) {
            started = true;
            try {
                http.start();
            } catch (Exception e) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "cannot start serving on " + host + ":" + port() + ": "
                        + e.getMessage());
            }
            LOG.info("serving on {}", uri());
        }
        return this;
    }

    /** The bound port (the real one when the builder asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Every route as {@code "METHOD /pattern"} (for tests that hold the OpenAPI document to them). */
    List<String> routes() {
        return routes;
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        String address;
        try {
            address = InetAddress.getByName(host).getHostAddress();
        } catch (IOException e) {
            address = host;
        }
        return URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port() + "/");
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
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
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
        private int concurrentQueries = Runtime.getRuntime().availableProcessors();
        private String token;
        private Clock clock = Clock.systemUTC();
        private Duration stopGrace = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofSeconds(30);

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

        /**
         * How many {@code /data} pages may query the warehouse at once (default: the machine's cores); the others wait
         * their turn in arrival order, while {@code /health}, {@code /runs}, {@code /stats} and {@code /models} never
         * wait. Raise it when pages spend their time waiting on a remote engine rather than on this machine's CPUs, or
         * when a few slow pages (a search over a large table) must not hold up the rest.
         */
        public Builder concurrentQueries(int concurrentQueries) {
            if (concurrentQueries < 1) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "concurrentQueries must be at least 1, not "
                        + concurrentQueries);
            }
            this.concurrentQueries = concurrentQueries;
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

        /** How long a connection may stay silent (no byte read or written) before it is closed; default 30 s. */
        public Builder idleTimeout(Duration idleTimeout) {
            if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "idleTimeout must be positive, not " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
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
            // With an app executor, Jetty's own pool only reads and writes sockets (acceptor, selector and a spare);
            // otherwise it also runs the requests.
            QueuedThreadPool pool = new QueuedThreadPool(executor == null ? threads + 3 : 4, 2, 30_000);
            pool.setName("soma-http");
            pool.setDaemon(true);
            pool.setReservedThreads(0);
            Server http = new Server(pool);
            HttpConfiguration config = new HttpConfiguration();
            config.setRequestHeaderSize(MAX_HEADER_BYTES);
            config.setSendServerVersion(false);
            config.setSendXPoweredBy(false);
            config.setIdleTimeout(idleTimeout.toMillis());
            // The router splits the raw path before decoding it, so "%2F" and ".." are plain names that match
            // nothing (404) rather than requests to refuse.
            config.setUriCompliance(UriCompliance.UNSAFE);
            ServerConnector connector = new ServerConnector(http, 1, 1, new HttpConnectionFactory(config));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeout.toMillis());
            connector.setAcceptQueueSize(128);
            http.addConnector(connector);
            try {
                connector.open();
            } catch (IOException e) {
                if (isBindFailure(e)) {
                    throw new SomaException(ErrorCode.INVALID_CONFIG, "port " + port + " on " + host
                            + " is already in use; stop what holds it or pick another with --port");
                }
                throw new SomaException(ErrorCode.INVALID_CONFIG, "cannot listen on " + host + ":" + port + ": "
                        + e.getMessage() + "; check --host and --port");
            }
            ReadSessions sessions = new ReadSessions(target, threads, concurrentQueries);
            ServerContext context = new ServerContext(target, sessions, soma, jobQueue, ingest, clock);
            Router router = new Router(token, executor);
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
                    .get("/lineage/layout.json", new LineageHandler(context))
                    .get("/lineage/lineage.css", new StaticHandler("lineage/lineage.css", "text/css; charset=utf-8"))
                    .get("/windows", new WindowsHandler(context))
                    .post("/jobs", jobs.enqueue())
                    .post("/jobs/process", jobs.process())
                    .post("/jobs/{id}/retry", jobs.retry())
                    .post("/publish", new PublishHandler(context).publish());
            GracefulHandler graceful = new GracefulHandler(router);
            http.setHandler(graceful);
            http.setErrorHandler(new JsonErrors(MAX_HEADER_BYTES));
            http.setStopTimeout(stopGrace.toMillis());
            http.setStopAtShutdown(false);
            return new SomaServer(http, connector, host, sessions, router.routes());
        }

        private static boolean isBindFailure(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return true;
                }
            }
            return false;
        }
    }
}
