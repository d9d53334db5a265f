package dev.soma.ingest;

import java.util.List;

/**
 * A row a load refused, as kept in {@code soma_meta.ingest_rejects}.
 *
 * @param loadId  the load that read it
 * @param source  the source, {@code source.table}
 * @param file    the CSV file it came from, or the URL of its page (without secrets); may be null
 * @param line    the line in the CSV file, when the reader rejected the line itself (wrong column
 *                count, bad encoding, unterminated quote); otherwise null
 * @param record  the record's number among the records read (1-based, header not counted), when known
 * @param raw     the record as read: the CSV line, the JSON record, or the parsed fields as JSON
 * @param reasons every rule it broke, e.g. {@code isbn: '978-0-00-000000-1' has a wrong check digit}
 */
public record RejectedRow(String loadId, String source, String file, Long line, Long record, String raw,
                          List<String> reasons) {

    public RejectedRow {
        reasons = List.copyOf(reasons);
    }
}
