package dev.soma.enrich;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.soma.enrich.BookMerge.Field.*;
import static org.assertj.core.api.Assertions.assertThat;

class BookMergeTest {

    private static final String ISBN = "9780140328721";
    private static final String OL = OpenLibraryExtractor.NAME;
    private static final String GB = GoogleBooksExtractor.NAME;

    private static BookRecord ol() {
        return new BookRecord(OL, "/books/OL1M", BookRecord.MatchedBy.ISBN, "Fantastic Mr Fox", null, List.of("Roald Dahl"),
                List.of("Puffin"), PartialDate.parse("1988"), 96, "0140328726", ISBN, "en",
                List.of("Foxes", "Children's stories"), "Short.");
    }

    private static BookRecord gb() {
        return new BookRecord(GB, "vol1", BookRecord.MatchedBy.ISBN, "Fantastic Mr. Fox", "A Story", List.of("Roald Dahl"),
                List.of(), PartialDate.parse("1988-10-01"), 90, null, "9780142410349", "fr",
                List.of("Juvenile Fiction", "foxes"), "A much longer description.");
    }

    @Test
    void everyFieldHasADeclaredRule() {
        assertThat(BookMerge.RULES).containsOnlyKeys(BookMerge.Field.values());
    }

    @Test
    void conflictsAreDecidedByTheDeclaredRulesWithProvenance() {
        BookQuery q = BookQuery.of(ISBN, "fantastic mr fox", "Dahl, Roald");
        MergedBook m = BookMerge.merge(q, List.of(Lookup.found(ol()), Lookup.found(gb())));

        assertThat(m.key()).isEqualTo("isbn:" + ISBN);
        assertThat(m.title()).isEqualTo("Fantastic Mr Fox");                // Open Library first
        assertThat(m.sourceOf(TITLE)).isEqualTo(OL);
        assertThat(m.subtitle()).isEqualTo("A Story");                       // only Google has one
        assertThat(m.sourceOf(SUBTITLE)).isEqualTo(GB);
        assertThat(m.published().toString()).isEqualTo("1988-10-01");       // most precise
        assertThat(m.sourceOf(PUBLISHED)).isEqualTo(GB);
        assertThat(m.pageCount()).isEqualTo(96);                             // Google's volume is another edition
        assertThat(m.sourceOf(PAGE_COUNT)).isEqualTo(OL);
        assertThat(m.language()).isEqualTo("fr");                           // Google first
        assertThat(m.sourceOf(LANGUAGE)).isEqualTo(GB);
        assertThat(m.description()).isEqualTo("A much longer description."); // longest
        assertThat(m.sourceOf(DESCRIPTION)).isEqualTo(GB);
        assertThat(m.publisher()).isEqualTo("Puffin");
        assertThat(m.subjects()).extracting(MergedBook.Sourced::value)
                .containsExactly("Foxes", "Children's stories", "Juvenile Fiction");  // "foxes" is a repeat
        assertThat(m.subjects()).extracting(MergedBook.Sourced::source).containsExactly(OL, OL, GB);
        assertThat(m.isbn13()).isEqualTo(ISBN);
        assertThat(m.sourceOf(ISBN13)).isEqualTo(BookMerge.CURATED);
        assertThat(m.isbn10()).isEqualTo("0140328726");
        assertThat(m.sourceOf(ISBN10)).isEqualTo(BookMerge.DERIVED);
        assertThat(m.found()).containsExactly(OL, GB);
    }

    @Test
    void pageCountComesFromTheSourceWhoseEditionMatchedTheIsbn() {
        BookRecord olOtherEdition = new BookRecord(OL, "x", BookRecord.MatchedBy.ISBN, "T", null, List.of(), List.of(), null,
                200, null, "9780142410349", null, List.of(), null);
        BookRecord gbThisEdition = new BookRecord(GB, "y", BookRecord.MatchedBy.ISBN, "T", null, List.of(), List.of(), null,
                120, null, ISBN, null, List.of(), null);
        MergedBook m = BookMerge.merge(BookQuery.of(ISBN, "T", null), List.of(Lookup.found(olOtherEdition), Lookup.found(gbThisEdition)));
        assertThat(m.pageCount()).isEqualTo(120);
        assertThat(m.sourceOf(PAGE_COUNT)).isEqualTo(GB);
    }

    @Test
    void equalPrecisionDatesGoToOpenLibraryAndLanguageFallsBackToIt() {
        BookRecord gbYear = new BookRecord(GB, "y", BookRecord.MatchedBy.ISBN, "T", null, List.of(), List.of(),
                PartialDate.parse("1989"), null, null, null, null, List.of(), null);
        MergedBook m = BookMerge.merge(BookQuery.of(ISBN, "T", null), List.of(Lookup.found(gbYear), Lookup.found(ol())));
        assertThat(m.published().toString()).isEqualTo("1988");
        assertThat(m.sourceOf(PUBLISHED)).isEqualTo(OL);
        assertThat(m.language()).isEqualTo("en");
        assertThat(m.sourceOf(LANGUAGE)).isEqualTo(OL);
    }

    @Test
    void withNothingFoundTheBookIsTheCuratedRow() {
        MergedBook m = BookMerge.merge(BookQuery.of(null, "an unknown BOOK", "Doe, Jane"),
                List.of(Lookup.notFound(OL), Lookup.notFound(GB)));
        assertThat(m.title()).isEqualTo("an unknown BOOK");
        assertThat(m.sourceOf(TITLE)).isEqualTo(BookMerge.CURATED);
        assertThat(m.authors()).containsExactly(new MergedBook.Sourced("Jane Doe", BookMerge.CURATED));
        assertThat(m.isbn13()).isNull();
        assertThat(m.provenance()).doesNotContainKeys(ISBN13, PUBLISHED, DESCRIPTION);
        assertThat(m.found()).isEmpty();
        assertThat(m.key()).isEqualTo("title:an unknown book|jane doe");
    }

    @Test
    void bestMatchPrefersTitleAndAuthorThenFilledFields() {
        BookQuery q = BookQuery.of(null, "The Witches", "Dahl, Roald");
        BookRecord wrongAuthor = rec("The Witches", "Jane Smith", null);
        BookRecord surnameOnly = rec("The Witches", "R. Dahl", null);
        BookRecord exact = rec("The witches", "Roald Dahl", null);
        BookRecord exactFuller = rec("The witches", "Roald Dahl", 208);
        BookRecord otherBook = rec("Matilda", "Roald Dahl", 240);
        assertThat(BestMatch.choose(q, List.of(wrongAuthor, otherBook))).isNull();
        assertThat(BestMatch.choose(q, List.of(wrongAuthor, surnameOnly))).isSameAs(surnameOnly);
        assertThat(BestMatch.choose(q, List.of(surnameOnly, exact, exactFuller))).isSameAs(exactFuller);
        assertThat(BestMatch.choose(q, List.of(rec("The Witches: a story", "Roald Dahl", null)))).isNotNull();
    }

    private static BookRecord rec(String title, String author, Integer pages) {
        return new BookRecord(GB, title, BookRecord.MatchedBy.SEARCH, title, null, List.of(author), List.of(), null, pages,
                null, null, null, List.of(), null);
    }
}
