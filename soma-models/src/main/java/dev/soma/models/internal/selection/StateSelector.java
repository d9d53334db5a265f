package dev.soma.models.internal.selection;

import java.util.Set;

/** Answers the {@code state:} selector method: which nodes compare how with an earlier run's manifest. */
public interface StateSelector {

    /**
     * The unique ids {@code state:<value>} selects ({@code modified}, {@code new}, {@code modified.body}, …).
     *
     * @throws dev.soma.models.error.SelectorException for a value that is not a state check
     */
    Set<String> select(String value);
}
