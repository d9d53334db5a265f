package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/** A job's payload is not a JSON document. */
public class InvalidPayloadException extends SomaException {

    private final String kind;
    private final String problem;

    public InvalidPayloadException(String kind, String payload, String problem) {
        super(ErrorCode.INVALID_CONFIG, "the payload of a " + kind + " job is not JSON: " + problem
                + " in " + abbreviate(payload) + "; pass a JSON document such as {\"isbn\": \"9780…\"}");
        this.kind = kind;
        this.problem = problem;
    }

    /** The kind of the job that was refused. */
    public String kind() {
        return kind;
    }

    /** What is wrong with the payload, with the character position. */
    public String problem() {
        return problem;
    }

    private static String abbreviate(String payload) {
        String flat = payload.replace('\n', ' ');
        return "'" + (flat.length() > 60 ? flat.substring(0, 57) + "..." : flat) + "'";
    }
}
