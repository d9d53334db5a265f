package dev.soma.server.internal.handler;

import dev.soma.models.api.PublishResult;
import dev.soma.models.error.PublishRefusedException;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Response;

import java.util.List;

/**
 * {@code POST /publish} (token required): makes the audited shadow live through soma-models'
 * {@code Soma.publish()}; {@code POST /publish?discard=true} drops it instead. A refusal (no shadow, a
 * failed audit, live changed since the audit) is 409 with the reason; nothing changed.
 */
public final class PublishHandler {

    private final ServerContext context;

    public PublishHandler(ServerContext context) {
        this.context = context;
    }

    /** One relation of the answer. */
    public record Relation(String model, String live, String shadow, String kind) {
    }

    /** The answer: what became of the shadow. */
    public record Published(String runId, String state, List<Relation> relations, List<String> failedTests,
                            String publishedAt, long elapsedMs, String summary) {
    }

    public Handler publish() {
        return request -> {
            boolean discard = request.param("discard").map(Boolean::parseBoolean).orElse(false);
            PublishResult result;
            // One Soma serves every request; its verbs are not meant to run at once.
            synchronized (context.soma()) {
                try {
                    result = discard ? context.soma().discard() : context.soma().publish();
                } catch (PublishRefusedException e) {
                    throw new HttpFailure(409, e.getMessage(), e.relations());
                }
            }
            return Response.ok(new Published(result.runId(), result.state().label(), result.relations().stream()
                    .map(r -> new Relation(r.model(), r.live().toString(), r.shadow().toString(), r.kind())).toList(),
                    result.failedTests(), result.publishedAt() == null ? null : result.publishedAt().toString(),
                    result.elapsed().toMillis(), result.summary()));
        };
    }
}
