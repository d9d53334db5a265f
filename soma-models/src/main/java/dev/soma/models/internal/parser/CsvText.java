package dev.soma.models.internal.parser;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader for inline CSV: commas, double-quoted values with {@code ""} escapes, CR/LF lines. */
final class CsvText {

    private CsvText() {
    }

    /** The records of {@code text}, each a list of values (quotes removed). */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    value.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(value.toString());
                value.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(value.toString());
                value.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                value.append(c);
            }
            i++;
        }
        record.add(value.toString());
        records.add(record);
        return records;
    }
}
