package dev.soma.models.internal.selection;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed selection: a union (space-separated) of intersections (comma-separated) of selectors.
 * An empty expression selects nothing; callers treat "no --select" as "everything".
 */
public record SelectionExpression(String text, List<List<SelectorAtom>> union) {

    public static SelectionExpression parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        List<List<SelectorAtom>> union = new ArrayList<>();
        if (!trimmed.isEmpty()) {
            for (String term : trimmed.split("\\s+")) {
                List<SelectorAtom> intersection = new ArrayList<>();
                for (String atom : term.split(",")) {
                    if (!atom.isEmpty()) {
                        intersection.add(SelectorAtom.parse(atom, trimmed));
                    }
                }
                if (!intersection.isEmpty()) {
                    union.add(List.copyOf(intersection));
                }
            }
        }
        return new SelectionExpression(trimmed, List.copyOf(union));
    }

    public boolean isEmpty() {
        return union.isEmpty();
    }
}
