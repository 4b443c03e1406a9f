package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The worked examples in the docs verify: the row-hash example of {@code docs/audit-format.md} and
 * the exported rows of {@code docs/audit-export.md} (whose first lines are the golden files') chain
 * from the genesis value of their log id, computed from the documents' text alone.
 */
class DocExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void formatDoc_rowHashExample_recomputes() throws Exception {
        String doc = Files.readString(Path.of("docs", "audit-format.md"));
        String logId = field(doc, "log_id   = ");
        String genesis = field(doc, "genesis  = ");
        String rowJson = field(doc, "row_json = ");
        String hash = field(doc, "hash     = ");
        assertThat(sha256Hex(("airlock-audit-v1:" + logId).getBytes(StandardCharsets.UTF_8))).isEqualTo(genesis);
        assertThat(rowJson).contains("\"prev_hash\":\"" + genesis + "\"");
        assertThat(new JsonCanonicalizer(rowJson).getEncodedString()).isEqualTo(rowJson);
        byte[] prev = HexFormat.of().parseHex(genesis);
        byte[] json = rowJson.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[32 + json.length];
        System.arraycopy(prev, 0, input, 0, 32);
        System.arraycopy(json, 0, input, 32, json.length);
        assertThat(sha256Hex(input)).isEqualTo(hash);
    }

    @Test
    void exportDoc_jsonlExample_chainsFromItsLogIdsGenesis() throws Exception {
        String doc = Files.readString(Path.of("docs", "audit-export.md"));
        Matcher m = Pattern.compile("## jsonl[^`]*```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("the jsonl example of docs/audit-export.md").isTrue();
        JsonNode row = JSON.readTree(m.group(1));
        assertThat(row.get("prev_hash").asText()).as("row 1 chains to the genesis of its log_id")
                .isEqualTo(AuditChain.genesis(row.get("log_id").asText()));
        assertThat(rowHash(row)).isEqualTo(row.get("hash").asText());
        // Every other format's example carries the same link.
        for (String h : List.of(row.get("prev_hash").asText(), row.get("hash").asText())) {
            assertThat(doc.split(Pattern.quote(h), -1).length - 1).as("examples carrying " + h).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void exportSampleRows_formOneVerifiableChain() throws Exception {
        String logId = ExportGoldenTest.CONTEXT.logId();
        String prev = AuditChain.genesis(logId);
        for (AuditRecord r : ExportGoldenTest.sampleRows()) {
            assertThat(r.prevHash()).as("row " + r.seq()).isEqualTo(prev);
            assertThat(new AuditChain().hash(r.seq(), r.time(), r.actor(), r.action(), r.target(), r.outcome(), r.details(),
                    r.prevHash())).as("row " + r.seq()).isEqualTo(r.hash());
            prev = r.hash();
        }
    }

    private static String rowHash(JsonNode row) throws Exception {
        String details = new JsonCanonicalizer(JSON.writeValueAsString(row.get("details"))).getEncodedString();
        return new AuditChain().hash(row.get("seq").asLong(), row.get("time").asLong(), row.get("actor").asText(),
                row.get("action").asText(), row.get("target").asText(), row.get("outcome").asText(), details,
                row.get("prev_hash").asText());
    }

    private static String field(String doc, String prefix) {
        Matcher m = Pattern.compile("^" + Pattern.quote(prefix) + "(.+)$", Pattern.MULTILINE).matcher(doc);
        assertThat(m.find()).as(prefix).isTrue();
        return m.group(1).strip();
    }

    private static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
