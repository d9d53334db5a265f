package dev.soma.server;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lineage page in a real browser engine (HtmlUnit runs its JavaScript): the graph is drawn into the
 * DOM with nodes and edges, and clicking a node shows its columns and tests.
 */
class LineagePageIT {

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inMemory();

    @Test
    void drawsTheGraphAndShowsAModelOnClick() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            browser.getOptions().setCssEnabled(true);
            HtmlPage page = browser.getPage(fixture.server().uri().resolve("/lineage").toURL());
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
            HtmlPage page = browser.getPage(fixture.server().uri().resolve("/lineage").toURL());
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

    /**
     * A wider project at 1400x900: long and cut labels end before the status dot, no edge runs through a node it
     * does not connect (several edges skip layers), and every node lies left of the detail panel.
     */
    @Test
    void layoutAt1400x900RoutesEdgesAroundNodesFitsLabelsAndKeepsClearOfThePanel(@TempDir Path wide) throws Exception {
        String longName = "fct_" + "very_long_model_name_".repeat(4);
        write(wide, "soma_project.yml", "name: wide_fixture\nversion: 1.0.0\n");
        write(wide, "models/a_src.sql", "select 1 as id\n");
        write(wide, "models/b_clean.sql", "select * from ${ref(\"a_src\")}\n");
        write(wide, "models/b_other.sql", "select * from ${ref(\"a_src\")}\n");
        write(wide, "models/c_join.sql", "select * from ${ref(\"b_clean\")} join ${ref(\"b_other\")} using (id)\n");
        write(wide, "models/c_side.sql", "select * from ${ref(\"b_other\")}\n");
        write(wide, "models/" + longName + ".sql", "select * from ${ref(\"c_join\")} join ${ref(\"a_src\")} using (id)\n");
        write(wide, "models/e_report.sql", "select * from ${ref(\"" + longName + "\")} join ${ref(\"b_clean\")} using (id)"
                + " join ${ref(\"c_side\")} using (id)\n");
        write(wide, "models/f_last.sql", "select * from ${ref(\"e_report\")} join ${ref(\"a_src\")} using (id)\n");
        try (Warehouse memory = Warehouse.inMemory();
             Soma project = Soma.builder().project(wide).warehouse(memory).targetDir(wide.resolve("target")).build();
             SomaServer widely = SomaServer.builder().soma(project).warehouse(memory).port(0).build().start();
             WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            browser.getOptions().setCssEnabled(true);
            browser.getCurrentWindow().setInnerWidth(1400);
            browser.getCurrentWindow().setInnerHeight(900);
            HtmlPage page = browser.getPage(widely.uri().resolve("/lineage").toURL());
            browser.waitForBackgroundJavaScript(10_000);
            assertThat(page.getBody().getAttribute("data-ready")).isEqualTo("true");

            DomElement svg = page.getElementById("graph");
            double scale = Double.parseDouble(svg.getAttribute("data-scale"));
            double panelLeft = 1400 - 360;
            assertThat(Double.parseDouble(svg.getAttribute("width"))).isLessThanOrEqualTo(panelLeft);

            Map<String, LineageGeometry.Box> boxes = new HashMap<>();
            for (DomNode node : page.querySelectorAll("g.node")) {
                DomElement g = (DomElement) node;
                String name = g.getAttribute("data-name");
                String transform = g.getAttribute("transform");
                String[] xy = transform.substring("translate(".length(), transform.length() - 1).split(",");
                DomElement box = g.querySelector("rect.box");
                LineageGeometry.Box b = new LineageGeometry.Box(name, Double.parseDouble(xy[0]), Double.parseDouble(xy[1]),
                        Double.parseDouble(box.getAttribute("width")), Double.parseDouble(box.getAttribute("height")));
                boxes.put(name, b);
                // The label: set to a fixed length that ends before the status dot, inside the box.
                DomElement label = g.querySelector("text.label");
                DomElement dot = g.querySelector("circle.status");
                double labelEnd = Double.parseDouble(label.getAttribute("x")) + Double.parseDouble(label.getAttribute("textLength"));
                double dotLeft = Double.parseDouble(dot.getAttribute("cx")) - Double.parseDouble(dot.getAttribute("r"));
                assertThat(labelEnd).as(name + ": label ends before the dot").isLessThan(dotLeft);
                assertThat(dotLeft + 2 * Double.parseDouble(dot.getAttribute("r"))).isLessThan(b.width());
                assertThat(label.getTextContent().length() * 7.2).as(name).isCloseTo(
                        Double.parseDouble(label.getAttribute("textLength")), org.assertj.core.data.Offset.offset(0.01));
                // On screen: left of the panel, without scrolling.
                assertThat(b.right() * scale).as(name + " is left of the detail panel").isLessThanOrEqualTo(panelLeft);
            }
            assertThat(boxes).hasSize(8).containsKey(longName);
            assertThat(page.querySelector("g.node[data-name='" + longName + "'] text.label").getTextContent())
                    .endsWith("\u2026").hasSize(40);

            int edges = 0;
            for (DomNode node : page.querySelectorAll("path.edge")) {
                DomElement edge = (DomElement) node;
                String from = edge.getAttribute("data-from"), to = edge.getAttribute("data-to");
                for (LineageGeometry.Segment segment : LineageGeometry.segments(edge.getAttribute("d"))) {
                    for (LineageGeometry.Box box : boxes.values()) {
                        if (!box.name().equals(from) && !box.name().equals(to)) {
                            assertThat(LineageGeometry.crosses(segment, box)).as(from + " -> " + to + " crosses "
                                    + box.name() + ": " + edge.getAttribute("d")).isFalse();
                        }
                    }
                }
                edges++;
            }
            assertThat(edges).isEqualTo(12);
        }
    }

    private static void write(Path root, String file, String text) throws java.io.IOException {
        Path path = root.resolve(file);
        java.nio.file.Files.createDirectories(path.getParent());
        java.nio.file.Files.writeString(path, text);
    }

    private static double x(HtmlPage page, String name) {
        String transform = page.querySelector("g.node[data-name='" + name + "']").getAttributes()
                .getNamedItem("transform").getNodeValue();
        return Double.parseDouble(transform.substring("translate(".length(), transform.indexOf(',')));
    }
}
