package dev.airlock.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Objects;

/**
 * Writes audit rows in the layout a SIEM ingests. Every exported record carries the row's
 * {@code seq}, {@code prev_hash} and {@code hash}, so the SIEM copy witnesses the chain: a later
 * edit of the local log shows up as a disagreement with what the SIEM received.
 *
 * <p>Exporters stream: they hold one row at a time, except the Datadog exporter, which holds one
 * intake batch (at most 1,000 rows and 5 MB) because Datadog takes a JSON array per request. Details
 * are written exactly as stored; they were redacted when the row was written.
 *
 * <p>Output is text meant to be encoded as UTF-8; every format is line-oriented (one record, or one
 * Datadog batch, per {@code \n}-terminated line). Exporters are stateless and thread-safe.
 */
public interface AuditExporter {

    /** Creates the exporter for {@code format}, stamping every record with {@code context}. */
    static AuditExporter create(ExportFormat format, ExportContext context) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(context, "context");
        return switch (format) {
            case JSONL -> new ExportLines(format, ExportJson.jsonl(context));
            case SPLUNK_HEC -> new ExportLines(format, ExportJson.splunkHec(context));
            case SUMO -> new ExportLines(format, ExportJson.sumo(context));
            case OCSF -> new ExportLines(format, new ExportOcsf(context));
            case CEF -> new ExportLines(format, new ExportCef(context));
            case DATADOG -> new ExportDatadog(context);
        };
    }

    /** The format this exporter writes. */
    ExportFormat format();

    /**
     * Writes every remaining row of {@code rows} to {@code out}, in order, and returns how many rows
     * were written. Does not flush or close {@code out}.
     *
     * @throws IOException    when {@code out} fails
     * @throws AuditException (integrity, exit 3) when a row's details are not a JSON object, which
     *                        only a damaged log can contain
     */
    long write(Iterator<AuditRecord> rows, Writer out) throws IOException;
}
