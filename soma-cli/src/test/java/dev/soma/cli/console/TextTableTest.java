package dev.soma.cli.console;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextTableTest {

    private static String print(TextTable table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void plainColumnsStandTwoSpacesApartAndTrailingBlanksGo() {
        TextTable table = TextTable.plain("id", "kind", "note").row(1, "noop", null).row(22, "enrich_book", "a\nb");
        assertThat(print(table)).isEqualTo("""
                id  kind         note
                1   noop
                22  enrich_book  a b
                """);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void numbersRightAlignsTheCellsThatStartWithADigitBelowTheHeader() {
        TextTable table = TextTable.plain("source", "read").numbersRight().row("books", "1,000").row("sales", "7");
        assertThat(print(table)).isEqualTo("""
                source  read
                books   1,000
                sales       7
                """);
    }

    @Test
    void ruledTablesHaveARuleUnderTheHeaderAndCutLongCells() {
        TextTable table = TextTable.ruled(List.of("a", "b")).cutAt(6).row("x", "abcdefghij");
        assertThat(print(table)).isEqualTo("""
                a | b
                --+-------
                x | abc...
                """);
    }
}
