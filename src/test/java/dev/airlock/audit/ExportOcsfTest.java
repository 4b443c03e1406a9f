package dev.airlock.audit;

import static dev.airlock.audit.ExportGoldenTest.JSON;
import static dev.airlock.audit.ExportGoldenTest.export;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ExportOcsfTest {

    private static JsonNode ocsf(String action, String target, String outcome) throws Exception {
        AuditRecord r = ExportRoundTripTest.row(9, "user:alice", action, target, outcome, "{}");
        return JSON.readTree(export(ExportFormat.OCSF, List.of(r)));
    }

    @TestFactory
    Stream<DynamicTest> activityIdFollowsTheVerbAndTypeUidIsClassUidTimes100PlusActivityId() {
        record Case(String action, int activityId, String name) {}
        return Stream.of(
                new Case("tenant.create", 1, "Create"),
                new Case("workspace.file.read", 2, "Read"),
                new Case("audit.export", 2, "Read"),
                new Case("config.update", 3, "Update"),
                new Case("secret.rotate", 3, "Update"),
                new Case("tenant.delete", 4, "Delete"),
                new Case("checkpoint", 99, "Other"),
                new Case("shell.exec", 99, "Other"),
                new Case("TENANT.CREATE", 1, "Create")).map(c -> DynamicTest.dynamicTest(
                c.action() + " is " + c.name(), () -> {
                    JsonNode n = ocsf(c.action(), "x", "success");
                    assertThat(n.get("activity_id").asInt()).isEqualTo(c.activityId());
                    assertThat(n.get("activity_name").asText()).isEqualTo(c.name());
                    assertThat(n.get("class_uid").asInt()).isEqualTo(6003);
                    assertThat(n.get("category_uid").asInt()).isEqualTo(6);
                    assertThat(n.get("type_uid").asLong()).isEqualTo(6003L * 100 + c.activityId());
                    assertThat(n.get("type_name").asText()).isEqualTo("API Activity: " + c.name());
                }));
    }

    @Test
    void everyAttributeTheApiActivityClassRequiresIsPresent() throws Exception {
        JsonNode n = ocsf("tenant.create", "tenant:ops", "success");
        // OCSF 1.1.0 base_event + api_activity "required" attributes, and the required members
        // of the objects they hold (metadata.version, metadata.product.vendor_name, api.operation).
        for (String path : List.of("/activity_id", "/category_uid", "/class_uid", "/type_uid", "/time",
                "/severity_id", "/metadata/version", "/metadata/product/vendor_name", "/actor/user/name",
                "/api/operation", "/src_endpoint/hostname")) {
            assertThat(n.at(path).isMissingNode()).as(path).isFalse();
        }
        assertThat(n.at("/metadata/version").asText()).isEqualTo("1.1.0");
        assertThat(n.at("/metadata/product/name").asText()).isEqualTo("Airlock");
        assertThat(n.at("/metadata/product/version").asText()).isEqualTo("0.1.0");
        assertThat(n.at("/metadata/log_name").asText()).isEqualTo("audit");
        assertThat(n.at("/metadata/uid").asText()).isEqualTo("7f3a9c2e-1d4b-4e6f-8a0c-5b7d9e1f3a2c:9");
        assertThat(n.at("/api/service/name").asText()).isEqualTo("airlock");
        assertThat(n.at("/resources/0/uid").asText()).isEqualTo("tenant:ops");
        assertThat(n.at("/time").isIntegralNumber()).as("time is epoch ms as a number").isTrue();
    }

    @Test
    void statusAndSeverityFollowTheOutcomeAndKeepTheRecordedWord() throws Exception {
        assertThat(statusOf("success")).containsExactly(1, "Success", 1, "success");
        assertThat(statusOf("failure")).containsExactly(2, "Failure", 2, "failure");
        assertThat(statusOf("denied")).containsExactly(2, "Failure", 3, "denied");
        assertThat(statusOf("pending")).containsExactly(99, "Other", 1, "pending");
    }

    private static List<Object> statusOf(String outcome) throws Exception {
        JsonNode n = ocsf("tenant.create", "t", outcome);
        return List.of(n.get("status_id").asInt(), n.get("status").asText(), n.get("severity_id").asInt(),
                n.get("status_detail").asText());
    }

    @Test
    void aRowWithoutTargetHasNoResources() throws Exception {
        assertThat(ocsf("audit.export", "", "success").has("resources")).isFalse();
    }
}
