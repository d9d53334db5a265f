package dev.soma.enrich;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class BookTextTest {

    @Test
    void textIsNfcWithOneSpaceAndNullWhenBlank() {
        assertThat(BookText.text("  Cafe\u0301 \t au\n lait ")).isEqualTo("Caf\u00e9 au lait");
        assertThat(BookText.text(" \u00a0 ")).isNull();
        assertThat(BookText.text(null)).isNull();
    }

    @Test
    void casingFixesShoutedAndLowerCaseButKeepsMixedCase() {
        assertThat(BookText.casing("THE WITCHES")).isEqualTo("The Witches");
        assertThat(BookText.casing("charlie and the chocolate factory")).isEqualTo("Charlie And The Chocolate Factory");
        assertThat(BookText.casing("Charlie and the Chocolate Factory")).isEqualTo("Charlie and the Chocolate Factory");
        assertThat(BookText.casing("1984")).isEqualTo("1984");
    }

    @Test
    void keyIgnoresCaseAccentsAndPunctuation() {
        assertThat(BookText.key("Charlie & the  Chocolate Factory!")).isEqualTo(BookText.key("charlie the chocolate factory"));
        assertThat(BookText.key("Les Misérables")).isEqualTo("les miserables");
    }

    @Test
    void isbn10BecomesIsbn13AndBack() {
        assertThat(BookText.isbn13("0-14-032872-6")).isEqualTo("9780140328721");
        assertThat(BookText.isbn13("080442957X")).isEqualTo("9780804429573");
        assertThat(BookText.isbn13("978-0-14-032872-1")).isEqualTo("9780140328721");
        assertThat(BookText.isbn13("9780140328722")).isNull();
        assertThat(BookText.isbn13("0140328728")).isNull();
        assertThat(BookText.isbn13("abc")).isNull();
        // one parser with ingestion (dev.soma.ingest.isbn.Isbn): tabs and no-break spaces separate, book prefixes only
        assertThat(BookText.isbn13("978\t0\t14\t032872\t1")).isEqualTo("9780140328721");
        assertThat(BookText.isbn13("978\u00A00-14-032872-1")).isEqualTo("9780140328721");
        assertThat(BookText.isbn13("0000000000000")).isNull();
        assertThat(BookText.isbn13("4006381333931")).isNull();
        assertThat(BookText.isIsbn13("0000000000000")).isFalse();
        assertThat(BookText.isbn10("9780140328721")).isEqualTo("0140328726");
        assertThat(BookText.isbn10("9780804429573")).isEqualTo("080442957X");
        assertThat(BookText.isbn10("9791032305690")).isNull();
    }

    @Test
    void languagesComeOutInOneForm() {
        assertThat(BookText.language("/languages/eng")).isEqualTo("en");
        assertThat(BookText.language("en")).isEqualTo("en");
        assertThat(BookText.language("en-GB")).isEqualTo("en");
        assertThat(BookText.language("fre")).isEqualTo("fr");
        assertThat(BookText.language("fra")).isEqualTo("fr");
        assertThat(BookText.language("/languages/ger")).isEqualTo("de");
        assertThat(BookText.language("English")).isEqualTo("en");
        assertThat(BookText.language("xx-nonsense")).isNull();
        assertThat(BookText.language(null)).isNull();
    }

    @Test
    void authorNamesAreFirstNameFirst() {
        assertThat(BookText.authorName("Dahl, Roald")).isEqualTo("Roald Dahl");
        assertThat(BookText.authorName("Dahl, Roald, 1916-1990")).isEqualTo("Roald Dahl");
        assertThat(BookText.authorName("ROALD DAHL")).isEqualTo("Roald Dahl");
        assertThat(BookText.authorName(" Roald   Dahl ")).isEqualTo("Roald Dahl");
        assertThat(BookText.authorName("King, Martin Luther, Jr.")).isEqualTo("King, Martin Luther, Jr.");
        assertThat(BookText.authorName("")).isNull();
    }

    @Test
    void htmlIsStrippedAndEntitiesDecoded() {
        assertThat(BookText.stripHtml("<p>A <b>boy</b> &amp; his&nbsp;peach.</p><p>Second&#33;</p>"))
                .isEqualTo("A boy & his peach.\nSecond!");
        assertThat(BookText.stripHtml("<br/>")).isNull();
        assertThat(BookText.stripHtml("plain")).isEqualTo("plain");
    }

    @Test
    void partialDatesKeepTheirPrecision() {
        assertThat(PartialDate.parse("2004")).isEqualTo(new PartialDate(LocalDate.of(2004, 1, 1), PartialDate.Precision.YEAR));
        assertThat(PartialDate.parse("2015-01")).isEqualTo(new PartialDate(LocalDate.of(2015, 1, 1), PartialDate.Precision.MONTH));
        assertThat(PartialDate.parse("June 1997")).isEqualTo(new PartialDate(LocalDate.of(1997, 6, 1), PartialDate.Precision.MONTH));
        assertThat(PartialDate.parse("1997-06-26")).isEqualTo(new PartialDate(LocalDate.of(1997, 6, 26), PartialDate.Precision.DAY));
        assertThat(PartialDate.parse("Mar 03, 2015")).isEqualTo(new PartialDate(LocalDate.of(2015, 3, 3), PartialDate.Precision.DAY));
        assertThat(PartialDate.parse("3 March 2015")).isEqualTo(new PartialDate(LocalDate.of(2015, 3, 3), PartialDate.Precision.DAY));
        assertThat(PartialDate.parse("c1997")).isEqualTo(new PartialDate(LocalDate.of(1997, 1, 1), PartialDate.Precision.YEAR));
        assertThat(PartialDate.parse("2015-13")).isEqualTo(new PartialDate(LocalDate.of(2015, 1, 1), PartialDate.Precision.YEAR));
        assertThat(PartialDate.parse("someday")).isNull();
        assertThat(PartialDate.parse(" ")).isNull();
        assertThat(PartialDate.parse("2015-01").toString()).isEqualTo("2015-01");
        assertThat(PartialDate.parse("2015-01").morePreciseThan(PartialDate.parse("2015"))).isTrue();
    }

    @Test
    void queryKeysUseIsbn13OrNormalisedTitleAndAuthor() {
        assertThat(BookQuery.of("0-14-032872-6", "x", "y").key()).isEqualTo("isbn:9780140328721");
        assertThat(BookQuery.of(null, " The  BFG ", "Dahl, Roald").key())
                .isEqualTo(BookQuery.of("", "the bfg", "Roald Dahl").key())
                .isEqualTo("title:the bfg|roald dahl");
    }
}
