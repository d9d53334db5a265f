package dev.soma.server.internal.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.error.SomaException;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobPage;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.RetrySelection;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;
import dev.soma.core.text.Suggestions;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Response;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The job queue: {@code GET /jobs?state=&kind=&limit=&before=}, {@code GET /jobs/{id}}, and with the token
 * {@code POST /jobs} (enqueue), {@code POST /jobs/process} (run a worker until nothing is due) and
 * {@code POST /jobs/{id}/retry}. All through {@link JobQueue}'s public API.
 */
public final class JobsHandler {

    private final ServerContext context;
    private final ObjectMapper json;
    private final Set<String> kinds;

    /**
     * @param kinds the job kinds a worker of this queue can run, or {@code null}: the queue's own handlers'. A job
     *              of any other kind would stay pending forever, so {@code POST /jobs} refuses it.
     */
    public JobsHandler(ServerContext context, ObjectMapper json, Collection<String> kinds) {
        this.context = context;
        this.json = json;
        this.kinds = kinds == null ? null : Collections.unmodifiableSet(new TreeSet<>(kinds));
    }

    public Handler list() {
        return request -> {
            JobQueue queue = context.requireJobs();
            JobQuery query = JobQuery.all().withLimit(request.intParam("limit", 50, 1, 500));
            if (request.param("state").isPresent()) {
                query = query.withState(state(request.param("state").get()));
            }
            if (request.param("kind").isPresent()) {
                query = query.withKind(request.param("kind").get());
            }
            if (request.param("before").isPresent()) {
                query = query.withBeforeId((long) request.intParam("before", 0, 1, Integer.MAX_VALUE));
            }
            JobPage page = queue.list(query);
            return Response.ok(page);
        };
    }

    public Handler one() {
        return request -> Response.ok(find(request.segment(1)));
    }

    public Handler enqueue() {
        return request -> {
            JobQueue queue = context.requireJobs();
            JsonNode body = body(request.body());
            Set<String> known = kinds != null ? kinds : queue.kinds();
            String kind = kind(body.get("kind"), known);
            JsonNode payload = body.get("payload");
            NewJob job = NewJob.of(kind, payload == null || payload.isNull() ? "{}"
                    : payload.isTextual() ? payload.asText() : payload.toString());
            if (body.hasNonNull("priority")) {
                job = job.withPriority(integer(body, "priority", Integer.MIN_VALUE, Integer.MAX_VALUE));
            }
            if (body.hasNonNull("max_attempts")) {
                job = job.withMaxAttempts(integer(body, "max_attempts", 1, Integer.MAX_VALUE));
            }
            if (body.hasNonNull("unique_key")) {
                JsonNode key = body.get("unique_key");
                if (!key.isTextual()) {
                    throw new HttpFailure(400, "unique_key must be a string, not " + describe(key));
                }
                job = job.withUniqueKey(key.asText());
            }
            try {
                EnqueueResult result = queue.enqueue(job);
                return Response.json(result.created() ? 201 : 200, result);
            } catch (SomaException e) {
                throw new HttpFailure(400, e.getMessage(), List.copyOf(known));
            }
        };
    }

    /** The body's {@code kind}: a string naming a kind a worker runs, else 400 with the known kinds. */
    private static String kind(JsonNode value, Set<String> known) {
        if (known.isEmpty()) {
            throw new HttpFailure(400, "this server does not know which job kinds its workers run, so it accepts none "
                    + "(a job no worker runs stays pending forever); the embedding app names them with "
                    + "SomaServer.builder().jobKinds(…) or registers handlers on the queue");
        }
        if (value == null || value.isNull()) {
            throw new HttpFailure(400, "the body needs a \"kind\": one of " + known, List.copyOf(known));
        }
        if (!value.isTextual()) {
            throw new HttpFailure(400, "kind must be a string, one of " + known + ", not " + describe(value),
                    List.copyOf(known));
        }
        String kind = value.asText();
        if (!known.contains(kind)) {
            throw new HttpFailure(400, "kind '" + ServerContext.abbreviate(kind) + "' is not a job kind this server's "
                    + "workers run" + Suggestions.didYouMean(kind, known) + "; use one of " + known, List.copyOf(known));
        }
        return kind;
    }

    /** A JSON integer within [min, max], else 400 naming the field; no coercion of text, fractions or infinities. */
    private static int integer(JsonNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (!value.isIntegralNumber()) {
            throw new HttpFailure(400, field + " must be a whole number between " + min + " and " + max + ", not "
                    + describe(value));
        }
        if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new HttpFailure(400, field + " must be between " + min + " and " + max + ", not "
                    + ServerContext.abbreviate(value.asText()));
        }
        return value.intValue();
    }

    private static String describe(JsonNode value) {
        String text = ServerContext.abbreviate(value.toString());
        return switch (value.getNodeType()) {
            case STRING -> "the string " + text;
            case NUMBER -> value.isFloatingPointNumber() || value.isBigDecimal() ? "the fraction or exponent " + text
                    : text;
            case BOOLEAN -> "the boolean " + text;
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> text;
        };
    }

    public Handler process() {
        return request -> {
            JobQueue queue = context.requireJobs();
            if (queue.kinds().isEmpty()) {
                throw new HttpFailure(409, "this server's queue has no handlers registered, so it cannot process jobs; "
                        + "run 'soma worker' or register handlers in the embedding app");
            }
            try (Worker worker = queue.worker(WorkerConfig.defaults())) {
                return Response.ok(worker.runUntilDrained());
            }
        };
    }

    public Handler retry() {
        return request -> {
            Job job = find(request.segment(1));
            if (job.state() != JobState.FAILED) {
                throw new HttpFailure(409, "job " + job.id() + " is " + job.state().dbName()
                        + "; only failed jobs can be retried");
            }
            int retried = context.requireJobs().retryFailed(RetrySelection.ids(List.of(job.id())));
            return Response.ok(new Retried(job.id(), retried));
        };
    }

    private Job find(String rawId) {
        JobQueue queue = context.requireJobs();
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            throw new HttpFailure(404, "no job '" + ServerContext.abbreviate(rawId) + "': job ids are numbers");
        }
        return queue.find(id).orElseThrow(() -> new HttpFailure(404, "no job with id " + id + "; GET /jobs lists them"));
    }

    private static JobState state(String name) {
        try {
            return JobState.parse(name);
        } catch (RuntimeException e) {
            throw new HttpFailure(400, "unknown job state '" + ServerContext.abbreviate(name) + "'",
                    Arrays.stream(JobState.values()).map(JobState::dbName).toList());
        }
    }

    private JsonNode body(byte[] bytes) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new HttpFailure(400, "the body must be a JSON object such as {\"kind\": \"…\", \"payload\": {…}}");
            }
            return node;
        } catch (IOException e) {
            throw new HttpFailure(400, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** {@code POST /jobs/{id}/retry}. */
    public record Retried(long id, int retried) {
    }
}
