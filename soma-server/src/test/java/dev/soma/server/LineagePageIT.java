package dev.soma.server;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lineage page in a real browser engine (HtmlUnit runs its JavaScript): the graph is drawn into the
 * DOM with nodes and edges, and clicking a node shows its columns and tests.
 */
class LineagePageIT {

    @TempDir
    static Path dir;
    static Warehouse warehouse;
    static Soma soma;
    static SomaServer server;

    @BeforeAll
    static void start() {
        warehouse = Warehouse.inMemory();
        soma = TestProject.build(dir.resolve("project"), warehouse);
        server = SomaServer.builder().soma(soma).warehouse(warehouse).port(0).build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        soma.close();
        warehouse.close();
    }

    @Test
    void drawsTheGraphAndShowsAModelOnClick() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            browser.getOptions().setCssEnabled(true);
            HtmlPage page = browser.getPage(server.uri().resolve("/lineage").toURL());
            browser.waitForBackgroundJavaScript(5_000);
            assertThat(page.getBody().getAttribute("data-ready")).isEqualTo("true");

            List<String> nodes = page.querySelectorAll("g.node").stream()
                    .map(node -> ((DomElement) node).getAttribute("data-name")).collect(Collectors.toList());
            assertThat(nodes).containsExactlyInAnyOrder("raw.books", "stg_books", "dim_books");
            List<String> edges = page.querySelectorAll("path.edge").stream()
                    .map(edge -> ((DomElement) edge).getAttribute("data-from") + "->"
                            + ((DomElement) edge).getAttribute("data-to")).collect(Collectors.toList());
            assertThat(edges).containsExactlyInAnyOrder("raw.books->stg_books", "stg_books->dim_books");
            // Layers as columns: each step right of the one it reads.
            assertThat(x(page, "raw.books")).isLessThan(x(page, "stg_books"));
            assertThat(x(page, "stg_books")).isLessThan(x(page, "dim_books"));

            DomElement dim = page.querySelector("g.node[data-name='dim_books']");
            dim.click();
            browser.waitForBackgroundJavaScript(5_000);
            String panel = page.getElementById("panel").asNormalizedText();
            assertThat(panel).contains("dim_books", "One row per book.", "book_id", "The book's id.", "title", "genre",
                    "unique", "not_null", "accepted_values", "pass", "stg_books");
            assertThat(page.querySelector("g.node.selected").getAttributes().getNamedItem("data-name").getNodeValue())
                    .isEqualTo("dim_books");
            assertThat(page.querySelectorAll("path.edge.hot")).hasSize(1);
        }
    }

    @Test
    void searchFindsAModelByName() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(server.uri().resolve("/lineage").toURL());
            browser.waitForBackgroundJavaScript(5_000);
            org.htmlunit.html.HtmlInput search = (org.htmlunit.html.HtmlInput) page.getElementById("search");
            search.type("stg");
            browser.waitForBackgroundJavaScript(1_000);
            List<String> hits = page.querySelectorAll("#results li").stream().map(DomNode::asNormalizedText)
                    .collect(Collectors.toList());
            assertThat(hits).hasSize(1);
            assertThat(hits.get(0)).contains("stg_books");
            ((DomElement) page.querySelectorAll("#results li").get(0)).click();
            browser.waitForBackgroundJavaScript(5_000);
            assertThat(page.getElementById("panel").asNormalizedText()).contains("stg_books");
        }
    }

    private static double x(HtmlPage page, String name) {
        String transform = page.querySelector("g.node[data-name='" + name + "']").getAttributes()
                .getNamedItem("transform").getNodeValue();
        return Double.parseDouble(transform.substring("translate(".length(), transform.indexOf(',')));
    }
}
