package dev.soma.models.api;

import java.util.List;

/**
 * How a node differs from the earlier run given with {@code --state}, and whether what is built from it
 * must be rebuilt (docs/ci.md).
 *
 * @param uniqueId the node
 * @param name     its name
 * @param kind     new, breaking or non-breaking
 * @param reasons  what changed, e.g. {@code column total_amount removed}, {@code filter changed}, {@code column margin added}
 */
public record ModelChange(String uniqueId, String name, Kind kind, List<String> reasons) {

    public ModelChange {
        reasons = List.copyOf(reasons);
    }

    /** Whether a change reaches what is built from the node. */
    public enum Kind {
        /** Not in the earlier run. */
        NEW,
        /**
         * Children may now see other rows or columns: a column removed or changed, a filter, join, grouping or
         * config changed, a macro it calls changed, or a change Soma cannot read. Rebuild its descendants.
         */
        BREAKING,
        /** Only columns added (or nothing the query says changed): its children read the same as before. */
        NON_BREAKING;

        /** {@code new}, {@code breaking}, {@code non-breaking}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
