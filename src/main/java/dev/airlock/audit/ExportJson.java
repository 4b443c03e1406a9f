package dev.airlock.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON building blocks shared by the JSON formats, and the three formats that are the native row
 * in an envelope: {@code jsonl}, {@code splunk-hec} and {@code sumo}.
 */
final class ExportJson {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    // Always three fraction digits, so every exported timestamp has the same width and keeps the
    // row's millisecond precision (ISO_INSTANT would drop ".000").
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ExportJson() {}

    /** A JSON writer filling one line. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String line(Body body) throws IOException {
        StringWriter sw = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            body.write(g);
        }
        return sw.toString();
    }

    /**
     * The native row's fields, in the order of docs/audit-format.md, then the context fields. The
     * same field names appear in every JSON format so one SIEM search finds a row in any of them.
     */
    static void writeRowFields(JsonGenerator g, AuditRecord r, ExportContext c) throws IOException {
        g.writeNumberField("seq", r.seq());
        g.writeNumberField("time", r.time());
        g.writeStringField("actor", text(r.actor()));
        g.writeStringField("action", text(r.action()));
        g.writeStringField("target", text(r.target()));
        g.writeStringField("outcome", text(r.outcome()));
        g.writeFieldName("details");
        writeDetails(g, r);
        g.writeStringField("prev_hash", text(r.prevHash()));
        g.writeStringField("hash", text(r.hash()));
        g.writeStringField("tenant", c.tenant());
        g.writeStringField("log_id", c.logId());
    }

    /**
     * Embeds the stored details as a JSON object. The canonical text is copied byte for byte rather
     * than parsed and re-printed, because re-printing could change how a number is spelled (RFC 8785
     * writes 1e+21 where Jackson writes 1.0E21), and the SIEM copy should show what was hashed.
     * It is checked first: a value that is not exactly one JSON object would corrupt the output.
     */
    static void writeDetails(JsonGenerator g, AuditRecord r) throws IOException {
        g.writeRawValue(checkedDetails(r));
    }

    /** The row's details, verified to be one JSON object and free of raw line breaks. */
    static String checkedDetails(AuditRecord r) {
        String details = r.details();
        if (details == null || !isSingleObject(details)) {
            throw AuditException.integrity("audit row " + r.seq() + ": details are not a JSON object;"
                    + " the log is damaged, run 'airlock audit verify' to locate the damage");
        }
        // In valid JSON a raw CR or LF can only be insignificant whitespace (inside strings they
        // must be escaped), so replacing them keeps the value and keeps the output line-oriented.
        if (details.indexOf('\n') >= 0 || details.indexOf('\r') >= 0) {
            details = details.replace('\n', ' ').replace('\r', ' ');
        }
        return details;
    }

    private static boolean isSingleObject(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static String text(String s) {
        return s == null ? "" : s;
    }

    static String isoTime(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A one-line human summary: {@code user:alice tenant.create tenant:ops: success}. */
    static String message(AuditRecord r) {
        StringBuilder sb = new StringBuilder(text(r.actor())).append(' ').append(text(r.action()));
        if (!text(r.target()).isEmpty()) {
            sb.append(' ').append(r.target());
        }
        return sb.append(": ").append(text(r.outcome())).toString();
    }

    /** jsonl: the native row plus tenant and log_id. */
    static ExportLines.Encoder jsonl(ExportContext c) {
        return r -> line(g -> {
            g.writeStartObject();
            writeRowFields(g, r, c);
            g.writeEndObject();
        });
    }

    /**
     * splunk-hec: the JSON event envelope of the HTTP Event Collector endpoint
     * {@code /services/collector/event} (Splunk docs, "Format events for HTTP Event Collector").
     * {@code time} is epoch seconds with the milliseconds as decimals, as HEC expects; {@code index}
     * is left out so the token's default index applies; HEC accepts several envelopes in one request
     * body, one after the other.
     */
    static ExportLines.Encoder splunkHec(ExportContext c) {
        return r -> line(g -> {
            g.writeStartObject();
            g.writeFieldName("time");
            g.writeNumber(BigDecimal.valueOf(r.time(), 3).toPlainString());
            g.writeStringField("host", c.hostName());
            g.writeStringField("source", "airlock");
            g.writeStringField("sourcetype", "airlock:audit");
            g.writeFieldName("event");
            g.writeStartObject();
            writeRowFields(g, r, c);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /**
     * sumo: newline-delimited JSON for a Sumo Logic HTTP Logs source, which treats each line of the
     * request body as one message once the source's multiline processing is off (Sumo docs,
     * "Upload Logs to an HTTP Source", "Collecting Multiline Logs"). The ISO-8601 {@code timestamp}
     * comes first because Sumo's automatic timestamp detection takes the first timestamp it finds.
     */
    static ExportLines.Encoder sumo(ExportContext c) {
        return r -> line(g -> {
            g.writeStartObject();
            g.writeStringField("timestamp", isoTime(r.time()));
            writeRowFields(g, r, c);
            g.writeEndObject();
        });
    }
}
