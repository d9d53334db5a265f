package dev.soma.models.internal.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Only template code names dependencies: not plain SQL, not SQL or FreeMarker comments. */
class ReferenceScannerTest {

    @Test
    void findsRefsInInterpolationsAndTagsOnly() {
        String text = """
                -- replaces ref('old')
                /* source('gone', 'table') */
                <#-- ${ref('commented')} -->
                select * from ${ref('kept')} k
                <#if is_incremental()>join ${ref("branch")} using (id)</#if>
                <@helper ref('in_macro_call')/>
                where note = 'ref(''quoted'')'
                """;
        assertThat(ReferenceScanner.refs(text)).extracting(ReferenceScanner.Found::name)
                .containsExactly("kept", "branch", "in_macro_call");
        assertThat(ReferenceScanner.sources(text)).isEmpty();
    }

    @Test
    void keepsLinesAndColumnsOfWhatItFinds() {
        String text = "-- ref('x')\nselect 1\nfrom ${source('raw', 'books')}, ${ref('a')}\n";
        assertThat(ReferenceScanner.sources(text)).singleElement()
                .isEqualTo(new ReferenceScanner.Found("raw", "books", 3, 6));
        assertThat(ReferenceScanner.refs(text)).singleElement().isEqualTo(new ReferenceScanner.Found("a", null, 3, 33));
    }

    @Test
    void nestedBracesAndStringsDoNotEndAnInterpolationEarly() {
        String text = "select ${ {'k': ref('a')}['k'] } , ${'}' + ref('b')}";
        assertThat(ReferenceScanner.refs(text)).extracting(ReferenceScanner.Found::name).containsExactly("a", "b");
    }
}
