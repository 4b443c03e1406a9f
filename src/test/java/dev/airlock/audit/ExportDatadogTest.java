package dev.airlock.audit;

import static dev.airlock.audit.ExportGoldenTest.JSON;
import static dev.airlock.audit.ExportGoldenTest.export;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ExportDatadogTest {

    private static List<JsonNode> batches(String output) throws Exception {
        List<JsonNode> batches = new ArrayList<>();
        for (String line : output.split("\n")) {
            JsonNode batch = JSON.readTree(line);
            assertThat(batch.isArray()).as("each line is one JSON array").isTrue();
            batches.add(batch);
        }
        return batches;
    }

    private static List<AuditRecord> rows(long n, String details) {
        return LongStream.rangeClosed(1, n)
                .mapToObj(s -> ExportRoundTripTest.row(s, "user:u", "tenant.create", "t", "success", details))
                .toList();
    }

    @Test
    void twoThousandFiveHundredRowsBecomeArraysOf1000And1000And500() throws Exception {
        String out = export(ExportFormat.DATADOG, rows(2500, "{}"));
        List<JsonNode> batches = batches(out);
        assertThat(batches).extracting(JsonNode::size).containsExactly(1000, 1000, 500);
        assertThat(out).endsWith("]\n");
        long expectedSeq = 1;
        for (JsonNode batch : batches) {
            for (JsonNode log : batch) {
                assertThat(log.get("seq").asLong()).isEqualTo(expectedSeq++);
            }
        }
    }

    @Test
    void exactlyOneThousandRowsMakeOneFullBatch() throws Exception {
        assertThat(batches(export(ExportFormat.DATADOG, rows(1000, "{}"))))
                .extracting(JsonNode::size).containsExactly(1000);
    }

    @Test
    void aBatchIsClosedBeforeItWouldPassTheFiveMegabyteRequestLimit() throws Exception {
        String big = "{\"blob\":\"" + "x".repeat(450_000) + "\"}";
        String out = export(ExportFormat.DATADOG, rows(12, big));
        List<JsonNode> batches = batches(out);
        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(batches.stream().mapToInt(JsonNode::size).sum()).isEqualTo(12);
        for (String line : out.split("\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(5_000_000);
        }
    }

    @Test
    void eachLogCarriesTheIntakeReservedFieldsAndTheRowAsAttributes() throws Exception {
        AuditRecord r = ExportGoldenTest.sampleRows().get(1);
        JsonNode log = batches(export(ExportFormat.DATADOG, List.of(r))).get(0).get(0);
        assertThat(log.get("ddsource").asText()).isEqualTo("airlock");
        assertThat(log.get("service").asText()).isEqualTo("airlock");
        assertThat(log.get("hostname").asText()).isEqualTo("airlock-host-1");
        assertThat(log.get("ddtags").asText()).isEqualTo("tenant:ops,action:shell.exec,outcome:denied");
        assertThat(log.get("message").asText()).isEqualTo("agent:deploy shell.exec host:web-1: denied");
        assertThat(log.get("timestamp").asLong()).isEqualTo(r.time());
        assertThat(log.has("status")).as("status is Datadog's log level, not our outcome").isFalse();
        assertThat(log.get("seq").asLong()).isEqualTo(2);
        assertThat(log.get("prev_hash").asText()).isEqualTo(r.prevHash());
        assertThat(log.get("hash").asText()).isEqualTo(r.hash());
    }

    @Test
    void tagValuesAreLowercasedAndACommaCannotSplitTheTagList() throws Exception {
        AuditRecord r = ExportRoundTripTest.row(1, "u", "Weird,Action=x y", "t", "OK,tenant:evil", "{}");
        String tags = batches(export(ExportFormat.DATADOG, List.of(r))).get(0).get(0).get("ddtags").asText();
        assertThat(tags).isEqualTo("tenant:ops,action:weird_action_x_y,outcome:ok_tenant:evil");
        assertThat(tags.split(",")).hasSize(3);
    }

    @Test
    void noRowsWriteNoBatch() throws Exception {
        assertThat(export(ExportFormat.DATADOG, List.of())).isEmpty();
    }
}
