package dev.airlock.audit;

import static dev.airlock.audit.ExportGoldenTest.JSON;
import static dev.airlock.audit.ExportGoldenTest.export;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every format back the way its SIEM would (Jackson for the JSON formats, a small CEF parser
 * written from the CEF guide's escaping rules) and checks that each row's values arrive unchanged.
 */
class ExportRoundTripTest {

    /** What a SIEM sees of one row, in the native row's terms. */
    record Seen(long seq, long time, String actor, String action, String target, String outcome,
                JsonNode details, String prevHash, String hash) {}

    static List<AuditRecord> trickyRows() {
        List<AuditRecord> rows = new ArrayList<>(ExportGoldenTest.sampleRows());
        rows.add(row(5, "user:\"quoted\" = eq", "policy.set", "path:/a b/c\\", "success",
                "{\"tab\":\"a\\tb\",\"pipe\":\"x|y\",\"ctrl\":\"\\u0001\"}"));
        // A value that tries to smuggle in its own CEF extension key or a second JSON field.
        rows.add(row(6, "agent:x cs3=forged", "file.write", "f\" ,\"hash\":\"forged", "denied",
                "{\"k\":\"v cn1=999\"}"));
        rows.add(row(7, "user:émilie 😀", "secret.delete", "\\\\server\\share=1\n", "other", "{}"));
        return rows;
    }

    static AuditRecord row(long seq, String actor, String action, String target, String outcome,
                           String details) {
        return new AuditRecord(seq, 1_763_781_700_000L + seq, actor, action, target, outcome, details,
                "%064x".formatted(seq - 1), "%064x".formatted(seq));
    }

    @TestFactory
    Stream<DynamicTest> trickyValuesRoundTripThroughEveryFormat() {
        List<AuditRecord> rows = trickyRows();
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> {
                    List<Seen> seen = readBack(format, export(format, rows));
                    assertThat(seen).hasSize(rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        AuditRecord r = rows.get(i);
                        assertThat(seen.get(i)).isEqualTo(new Seen(r.seq(), r.time(), r.actor(),
                                r.action(), r.target(), r.outcome(), JSON.readTree(r.details()),
                                r.prevHash(), r.hash()));
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyRecordOfEveryFormatKeepsSeqPrevHashAndHash() {
        List<AuditRecord> rows = LongStream.rangeClosed(1, 1234)
                .mapToObj(s -> row(s, "user:u", "tenant.create", "tenant:t" + s, "success", "{\"n\":" + s + "}"))
                .toList();
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> {
                    List<Seen> seen = readBack(format, export(format, rows));
                    assertThat(seen).extracting(Seen::seq, Seen::prevHash, Seen::hash)
                            .containsExactlyElementsOf(rows.stream()
                                    .map(r -> org.assertj.core.groups.Tuple.tuple(r.seq(), r.prevHash(), r.hash()))
                                    .toList());
                }));
    }

    @Test
    void cefValueCannotForgeAnotherExtensionKey() throws IOException {
        AuditRecord r = trickyRows().get(5);
        Map<String, String> ext = Cef.parse(export(ExportFormat.CEF, List.of(r)).strip()).extension();
        assertThat(ext.get("suser")).isEqualTo("agent:x cs3=forged");
        assertThat(ext.get("cs3")).isEqualTo(r.hash());
        assertThat(ext.get("cn1")).isEqualTo("6");
    }

    @Test
    void jsonValueCannotForgeAnotherField() throws IOException {
        AuditRecord r = trickyRows().get(5);
        JsonNode n = JSON.readTree(export(ExportFormat.JSONL, List.of(r)));
        assertThat(n.get("target").asText()).isEqualTo("f\" ,\"hash\":\"forged");
        assertThat(n.get("hash").asText()).isEqualTo(r.hash());
    }

    static List<Seen> readBack(ExportFormat format, String output) throws IOException {
        List<Seen> seen = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            switch (format) {
                case JSONL, SUMO -> seen.add(fromNative(JSON.readTree(line)));
                case SPLUNK_HEC -> seen.add(fromNative(JSON.readTree(line).get("event")));
                case DATADOG -> JSON.readTree(line).forEach(n -> seen.add(fromNative(n)));
                case OCSF -> seen.add(fromOcsf(JSON.readTree(line)));
                case CEF -> seen.add(fromCef(Cef.parse(line)));
            }
        }
        return seen;
    }

    static Seen fromNative(JsonNode n) {
        return new Seen(n.get("seq").asLong(), n.get("time").asLong(), n.get("actor").asText(),
                n.get("action").asText(), n.get("target").asText(), n.get("outcome").asText(),
                n.get("details"), n.get("prev_hash").asText(), n.get("hash").asText());
    }

    static Seen fromOcsf(JsonNode n) {
        JsonNode u = n.get("unmapped");
        String target = n.has("resources") ? n.get("resources").get(0).get("uid").asText() : "";
        return new Seen(u.get("seq").asLong(), n.get("time").asLong(),
                n.get("actor").get("user").get("name").asText(), n.get("api").get("operation").asText(),
                target, n.get("status_detail").asText(), u.get("details"), u.get("prev_hash").asText(),
                u.get("hash").asText());
    }

    static Seen fromCef(Cef cef) throws IOException {
        Map<String, String> e = cef.extension();
        assertThat(e).containsEntry("cn1Label", "seq").containsEntry("cs2Label", "prev_hash")
                .containsEntry("cs3Label", "hash").containsEntry("cs4Label", "details");
        return new Seen(Long.parseLong(e.get("cn1")), Long.parseLong(e.get("rt")), e.get("suser"),
                e.get("act"), e.getOrDefault("cs1", ""), e.get("outcome"), JSON.readTree(e.get("cs4")),
                e.get("cs2"), e.get("cs3"));
    }

    /** A CEF line split back into its seven header fields and its extension, unescaped. */
    record Cef(List<String> header, Map<String, String> extension) {
        static Cef parse(String line) {
            assertThat(line).startsWith("CEF:").doesNotContain("\n", "\r");
            List<String> header = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            for (; i < line.length() && header.size() < 7; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = line.charAt(++i);
                    assertThat(next).as("header escape at %d", i).isIn('\\', '|');
                    field.append(next);
                } else if (c == '|') {
                    header.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            assertThat(header).hasSize(7);
            return new Cef(header, parseExtension(line.substring(i)));
        }

        // Each unescaped '=' ends a key; the key starts after the last space before it and the
        // previous value ends at that space (the guide's rule: keys hold no spaces, values may).
        static Map<String, String> parseExtension(String ext) {
            List<Integer> equals = new ArrayList<>();
            for (int i = 0; i < ext.length(); i++) {
                char c = ext.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '=') {
                    equals.add(i);
                }
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int k = 0; k < equals.size(); k++) {
                int eq = equals.get(k);
                int keyStart = ext.lastIndexOf(' ', eq) + 1;
                int valueEnd = k + 1 < equals.size() ? ext.lastIndexOf(' ', equals.get(k + 1)) : ext.length();
                String key = ext.substring(keyStart, eq);
                assertThat(map).as("duplicate key %s", key).doesNotContainKey(key);
                map.put(key, unescape(ext.substring(eq + 1, valueEnd)));
            }
            return map;
        }

        static String unescape(String v) {
            StringBuilder sb = new StringBuilder(v.length());
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char next = v.charAt(++i);
                sb.append(switch (next) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '\\', '=' -> next;
                    default -> throw new AssertionError("unknown CEF escape \\" + next + " in " + v);
                });
            }
            return sb.toString();
        }
    }
}
