package dev.soma.cli.serve;

import dev.soma.cli.ExitCode;
import dev.soma.cli.jobs.KnownJobs;
import dev.soma.cli.project.ProjectOptions;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import dev.soma.models.Soma;
import dev.soma.models.api.RunListener;
import dev.soma.server.SomaServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code soma serve}: health, stats, runs, models, data, jobs, loads and the lineage page over HTTP. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the project and its database over HTTP: /health, /stats, /runs, /models, /data, /jobs, "
                + "/loads, /lineage, /openapi.json. Read-only unless a token is set. Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {

    /** The environment variable read when {@code --token} is not given. */
    public static final String TOKEN_ENV = "SOMA_SERVER_TOKEN";

    @Mixin
    ProjectOptions options;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token that allows writes (POST /jobs, …). Default: $" + TOKEN_ENV + "; none = read-only.")
    String token;

    @Option(names = "--concurrent-queries", paramLabel = "N",
            description = "/data pages that may query the database at once; the rest wait their turn in arrival order "
                    + "(default: the machine's cores, ${DEFAULT-VALUE} here). /health and the other endpoints never wait.")
    int concurrentQueries = Runtime.getRuntime().availableProcessors();

    @Spec
    CommandSpec spec;

    /** Counted down to stop a running server (by the shutdown hook, or by a test). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String writeToken = token != null ? token : System.getenv(TOKEN_ENV);
        if (!SomaServer.isLoopback(host)) {
            err.println("warning: listening on " + host + " makes the data readable from the network; "
                    + "use --host 127.0.0.1 unless that is what you want" + (writeToken == null ? "" : ", and keep the token secret"));
            err.flush();
        }
        try (Soma soma = options.builder(RunListener.NONE).build()) {
            Warehouse warehouse = soma.warehouse();
            Ingest ingest = ingest(warehouse);
            // The kinds 'soma worker' runs: POST /jobs refuses others, which no worker would ever take. The queue
            // lives in the warehouse and needs its transactions: an engine without them (Spark) serves no /jobs.
            try (JobQueue queue = warehouse.engine().supportsTransactions()
                    ? KnownJobs.register(JobQueue.builder().store(JobStores.duckdb(warehouse)), warehouse).build() : null;
                 SomaServer server = SomaServer.builder().soma(soma).warehouse(warehouse).jobQueue(queue).ingest(ingest)
                         .host(host).port(port).token(writeToken).concurrentQueries(concurrentQueries).build().start()) {
                out.println("serving " + soma.projectName() + " on " + warehouse.describe() + " at " + server.uri()
                        + " (lineage: " + server.uri().resolve("/lineage") + ", writes " + (writeToken == null ? "off" : "on")
                        + "); Ctrl-C stops");
                out.flush();
                Thread hook = new Thread(stop::countDown, "soma-serve-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stop.await();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // Already shutting down: the hook is what woke us.
                    }
                }
            }
        }
        return ExitCode.OK;
    }

    private Ingest ingest(Warehouse warehouse) {
        try {
            return Ingest.builder().project(options.projectDir()).warehouse(warehouse).build();
        } catch (SomaException e) {
            // A project without ingest blocks still serves everything else; /loads says there is none.
            return null;
        }
    }
}
