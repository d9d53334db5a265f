package dev.soma.models.internal.state;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code Soma} compares with and defers to, fixed when it is built.
 *
 * @param manifest   the earlier run's manifest ({@code --state}), or {@code null}
 * @param defer      read unselected models from the state's relations ({@code --defer})
 * @param favorState defer even when the relation exists here ({@code --favor-state})
 * @param target     the target's name, recorded for {@code soma retry}
 */
public record StateOptions(StateManifest manifest, boolean defer, boolean favorState, String target) {

    /** No state. */
    public static StateOptions none(String target) {
        return new StateOptions(null, false, false, target);
    }

    /** Whether runs defer. */
    public boolean defers() {
        return defer && manifest != null;
    }

    /** The flags to record in run_results.json's {@code args}, under dbt's names. */
    public Map<String, Object> invocation() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("target", target);
        Path dir = manifest == null ? null : manifest.directory();
        args.put("state", dir == null ? null : dir.toString());
        args.put("defer", defer);
        args.put("favor_state", favorState);
        return args;
    }
}
