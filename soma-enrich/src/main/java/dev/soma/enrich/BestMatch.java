package dev.soma.enrich;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of a service's several answers is the book. The rule, in order:
 *
 * <ol>
 *   <li><b>By ISBN</b>: a candidate whose ISBN-13 is the one asked for beats one whose is not (Google
 *       returns several volumes per ISBN, some of other editions).</li>
 *   <li><b>By title and author</b> (no ISBN): a candidate qualifies only if its title matches — the
 *       {@link BookText#key keys} are equal (3 points) or one starts with the other, as when one side
 *       carries the subtitle (2 points) — and, when both sides name authors, one author matches — the
 *       same key (2 points) or the same last word, i.e. surname (1 point). No qualifying candidate is
 *       "not found".</li>
 *   <li>Ties go to the candidate with more fields filled in, then to the service's own order.</li>
 * </ol>
 */
public final class BestMatch {

    private BestMatch() {
    }

    /** The best candidate by the rule above, or null when none qualifies. */
    public static BookRecord choose(BookQuery query, List<BookRecord> candidates) {
        BookRecord best = null;
        int bestScore = -1;
        int bestFilled = -1;
        for (BookRecord c : candidates) {
            int score = score(query, c);
            if (score < 0) {
                continue;
            }
            int filled = filled(c);
            if (score > bestScore || (score == bestScore && filled > bestFilled)) {
                best = c;
                bestScore = score;
                bestFilled = filled;
            }
        }
        return best;
    }

    /** A candidate's score for the query; negative when it does not qualify. */
    static int score(BookQuery query, BookRecord c) {
        if (query.isbn13() != null) {
            return query.isbn13().equals(c.isbn13()) ? 1 : 0;
        }
        String want = BookText.key(query.title());
        int score;
        String title = BookText.key(c.title());
        String full = BookText.key(c.title() + " " + (c.subtitle() == null ? "" : c.subtitle()));
        if (title.isEmpty()) {
            return -1;
        } else if (title.equals(want) || full.equals(want)) {
            score = 3;
        } else if (title.startsWith(want + " ") || want.startsWith(title + " ")) {
            score = 2;
        } else {
            return -1;
        }
        if (query.author() == null || c.authors().isEmpty()) {
            return score;
        }
        String author = BookText.key(BookText.authorName(query.author()));
        Set<String> keys = c.authors().stream().map(BookText::key).collect(Collectors.toSet());
        if (keys.contains(author)) {
            return score + 2;
        }
        String surname = lastWord(author);
        return keys.stream().anyMatch(k -> lastWord(k).equals(surname)) ? score + 1 : -1;
    }

    private static String lastWord(String key) {
        int space = key.lastIndexOf(' ');
        return space < 0 ? key : key.substring(space + 1);
    }

    static int filled(BookRecord c) {
        int n = 0;
        for (Object o : new Object[]{c.title(), c.subtitle(), c.published(), c.pageCount(), c.isbn13(), c.language(), c.description()}) {
            n += o == null ? 0 : 1;
        }
        n += c.authors().isEmpty() ? 0 : 1;
        n += c.publishers().isEmpty() ? 0 : 1;
        n += c.subjects().isEmpty() ? 0 : 1;
        return n;
    }
}
