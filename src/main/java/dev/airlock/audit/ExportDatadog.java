package dev.airlock.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * datadog: request bodies for the Datadog Logs intake, {@code POST /api/v2/logs} (Datadog API
 * reference, "Send logs"). Each output line is one body: a JSON array of log objects. The intake
 * limits a request to 1,000 entries and 5 MB uncompressed, so a batch is closed at whichever comes
 * first. {@code ddsource}, {@code ddtags}, {@code hostname}, {@code service} and {@code message} are
 * the intake's reserved fields; every other field becomes a log attribute. The row's outcome is not
 * put in {@code status}, which Datadog reserves for the log level.
 */
final class ExportDatadog implements AuditExporter {
    static final int MAX_ENTRIES = 1000;
    // 5 MB as Datadog counts it, less room for the array brackets and commas of a full batch.
    static final long MAX_BATCH_BYTES = 5_000_000L - MAX_ENTRIES - 2;

    private final ExportContext context;

    ExportDatadog(ExportContext context) {
        this.context = context;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.DATADOG;
    }

    @Override
    public long write(Iterator<AuditRecord> rows, Writer out) throws IOException {
        List<String> batch = new ArrayList<>();
        long batchBytes = 0;
        long count = 0;
        while (rows.hasNext()) {
            String entry = encode(rows.next());
            long size = entry.getBytes(StandardCharsets.UTF_8).length;
            if (!batch.isEmpty() && batchBytes + size > MAX_BATCH_BYTES) {
                flush(batch, out);
                batchBytes = 0;
            }
            batch.add(entry);
            batchBytes += size;
            count++;
            // A full batch goes out before the next row is read, so a slow row source never
            // holds back a batch that is ready.
            if (batch.size() == MAX_ENTRIES) {
                flush(batch, out);
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            flush(batch, out);
        }
        return count;
    }

    private static void flush(List<String> batch, Writer out) throws IOException {
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(batch.get(i));
        }
        out.write("]\n");
        batch.clear();
    }

    String encode(AuditRecord r) throws IOException {
        return ExportJson.line(g -> {
            g.writeStartObject();
            g.writeStringField("ddsource", "airlock");
            g.writeStringField("ddtags", "tenant:" + tagValue(context.tenant())
                    + ",action:" + tagValue(r.action()) + ",outcome:" + tagValue(r.outcome()));
            g.writeStringField("hostname", context.hostName());
            g.writeStringField("service", "airlock");
            g.writeStringField("message", ExportJson.message(r));
            // Datadog's default date remapper reads "timestamp" (epoch ms) as the log's date.
            g.writeNumberField("timestamp", r.time());
            ExportJson.writeRowFields(g, r, context);
            g.writeEndObject();
        });
    }

    /**
     * Datadog lowercases tags and turns characters other than letters, digits and {@code _-:./}
     * into underscores (Datadog docs, "Getting Started with Tags"). Doing it here makes the tag
     * predictable, and keeps a comma in a value from splitting the ddtags list.
     */
    static String tagValue(String value) {
        String v = ExportJson.text(value).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == ':' || c == '.' || c == '/';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }
}
