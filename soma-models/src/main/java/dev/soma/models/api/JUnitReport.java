package dev.soma.models.api;

import dev.soma.core.error.FileAccessException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A run's tests as a JUnit XML report (the shape Maven Surefire writes, which CI systems read): one
 * {@code <testcase>} per data test or unit test, a {@code <failure>} with its message for a failing test, an
 * {@code <error>} for one that could not run, {@code <skipped/>} for one that did not. Models and seeds are left out.
 *
 * <pre>{@code
 * JUnitReport.write(soma.build(Selection.all()), Path.of("target/junit.xml"));
 * }</pre>
 */
public final class JUnitReport {

    private JUnitReport() {
    }

    /** The report of {@code run}'s tests as XML text. */
    public static String xml(String suiteName, RunResult run) {
        List<NodeResult> tests = run.results().stream().filter(JUnitReport::isTest).toList();
        long failures = tests.stream().filter(t -> t.status() == NodeStatus.FAIL).count();
        long errors = tests.stream().filter(t -> t.status() == NodeStatus.ERROR).count();
        long skipped = tests.stream().filter(t -> t.status() == NodeStatus.SKIPPED).count();
        double total = tests.stream().mapToDouble(t -> seconds(t)).sum();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"").append(escape(suiteName)).append("\" tests=\"").append(tests.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
                .append("\" skipped=\"").append(skipped).append("\" time=\"").append(time(total))
                .append("\" timestamp=\"").append(run.startedAt().toString(), 0, 19).append("\">\n");
        for (NodeResult test : tests) {
            xml.append("  <testcase name=\"").append(escape(test.name())).append("\" classname=\"")
                    .append(escape(classname(test))).append("\" time=\"").append(time(seconds(test))).append('"');
            String message = test.message() == null ? "" : test.message();
            switch (test.status()) {
                case FAIL -> xml.append(">\n    <failure message=\"").append(escape(message)).append("\" type=\"")
                        .append(test.failures() >= 0 ? "failing rows" : "fail").append("\">")
                        .append(escape(details(test))).append("</failure>\n  </testcase>\n");
                case ERROR -> xml.append(">\n    <error message=\"").append(escape(message)).append("\" type=\"error\">")
                        .append(escape(message)).append("</error>\n  </testcase>\n");
                case SKIPPED -> xml.append(">\n    <skipped message=\"").append(escape(message)).append("\"/>\n  </testcase>\n");
                case WARN -> xml.append(">\n    <system-out>").append(escape("warning: " + message))
                        .append("</system-out>\n  </testcase>\n");
                default -> xml.append("/>\n");
            }
        }
        return xml.append("</testsuite>\n").toString();
    }

    /**
     * Writes the report of {@code run} to {@code file} (its folder created), the suite named after the run's verb.
     *
     * @throws FileAccessException when it cannot be written
     */
    public static Path write(RunResult run, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, xml("soma " + run.command().label(), run), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot write the JUnit report", e);
        }
    }

    /** A data test, or a unit test once that node kind exists ({@code unit_test}). */
    private static boolean isTest(NodeResult result) {
        return result.node().resourceType() == ResourceType.TEST
                || result.node().resourceType().label().equals("unit_test");
    }

    /** The node a test reads (the model or source it tests), as CI tools group test cases by class. */
    private static String classname(NodeResult test) {
        List<String> reads = test.node().dependsOn();
        return reads == null || reads.isEmpty() ? test.uniqueId() : reads.get(0);
    }

    private static String details(NodeResult test) {
        StringBuilder text = new StringBuilder(test.message() == null ? "" : test.message());
        for (var row : test.samples()) {
            text.append('\n').append(row);
        }
        return text.toString();
    }

    private static double seconds(NodeResult result) {
        return result.duration().toNanos() / 1e9;
    }

    private static String time(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    /** XML text: the five escapes, and characters XML 1.0 forbids dropped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
