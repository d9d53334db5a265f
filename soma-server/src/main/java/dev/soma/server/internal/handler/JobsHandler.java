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
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Response;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The job queue: {@code GET /jobs?state=&kind=&limit=&before=}, {@code GET /jobs/{id}}, and with the token
 * {@code POST /jobs} (enqueue), {@code POST /jobs/process} (run a worker until nothing is due) and
 * {@code POST /jobs/{id}/retry}. All through {@link JobQueue}'s public API.
 */
public final class JobsHandler {

    private final ServerContext context;
    private final ObjectMapper json;

    public JobsHandler(ServerContext context, ObjectMapper json) {
        this.context = context;
        this.json = json;
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
            String kind = text(body, "kind");
            if (kind == null) {
                throw new HttpFailure(400, "the body needs a \"kind\": one of " + queue.kinds());
            }
            JsonNode payload = body.get("payload");
            NewJob job = NewJob.of(kind, payload == null || payload.isNull() ? "{}"
                    : payload.isTextual() ? payload.asText() : payload.toString());
            if (body.hasNonNull("priority")) {
                job = job.withPriority(body.get("priority").asInt());
            }
            if (body.hasNonNull("max_attempts")) {
                job = job.withMaxAttempts(body.get("max_attempts").asInt());
            }
            if (text(body, "unique_key") != null) {
                job = job.withUniqueKey(text(body, "unique_key"));
            }
            try {
                EnqueueResult result = queue.enqueue(job);
                return Response.json(result.created() ? 201 : 200, result);
            } catch (SomaException e) {
                throw new HttpFailure(400, e.getMessage(), List.copyOf(queue.kinds()));
            }
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

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** {@code POST /jobs/{id}/retry}. */
    public record Retried(long id, int retried) {
    }
}
