package dev.airlock.audit;

import static dev.airlock.audit.ExportGoldenTest.export;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.ExportRoundTripTest.Cef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportCefTest {

    @Test
    void headerEscapesPipesAndBackslashesSoItKeepsSevenFields() throws Exception {
        AuditRecord r = ExportRoundTripTest.row(1, "u", "odd|act\\ion", "t", "success", "{}");
        String line = export(ExportFormat.CEF, List.of(r)).strip();
        assertThat(line).startsWith("CEF:0|Airlock|Airlock|0.1.0|odd\\|act\\\\ion|odd\\|act\\\\ion success|1|");
        Cef cef = Cef.parse(line);
        assertThat(cef.header()).containsExactly("CEF:0", "Airlock", "Airlock", "0.1.0", "odd|act\\ion",
                "odd|act\\ion success", "1");
        assertThat(cef.extension()).containsEntry("act", "odd|act\\ion");
    }

    @Test
    void extensionEscapesBackslashEqualsAndLineBreaksButNotPipes() {
        assertThat(ExportCef.escapeExtension("a\\b=c|d\ne\rf")).isEqualTo("a\\\\b\\=c|d\\ne\\rf");
    }

    @Test
    void aLineBreakInAHeaderFieldBecomesASpaceBecauseHeadersCannotSpanLines() throws Exception {
        AuditRecord r = ExportRoundTripTest.row(1, "u", "multi\nline\raction", "t", "success", "{}");
        String out = export(ExportFormat.CEF, List.of(r));
        assertThat(out.lines()).hasSize(1);
        Cef cef = Cef.parse(out.strip());
        assertThat(cef.header().get(4)).isEqualTo("multi line action");
        assertThat(cef.extension()).containsEntry("act", "multi\nline\raction");
    }

    @Test
    void everyRowIsExactlyOneLineWhateverItsValuesHold() throws Exception {
        List<AuditRecord> rows = ExportRoundTripTest.trickyRows();
        assertThat(export(ExportFormat.CEF, rows).lines()).hasSize(rows.size())
                .allSatisfy(l -> assertThat(l).startsWith("CEF:0|Airlock|Airlock|"));
    }

    @Test
    void severityGrowsFromSuccessToFailureToDenial() throws Exception {
        assertThat(severity("success")).isEqualTo("1");
        assertThat(severity("failure")).isEqualTo("3");
        assertThat(severity("denied")).isEqualTo("5");
        assertThat(severity("unknown-word")).isEqualTo("1");
    }

    private static String severity(String outcome) throws Exception {
        AuditRecord r = ExportRoundTripTest.row(1, "u", "a.b", "t", outcome, "{}");
        return Cef.parse(export(ExportFormat.CEF, List.of(r)).strip()).header().get(6);
    }

    @Test
    void timeIsEpochMillisAndHostIsTheDeviceHost() throws Exception {
        AuditRecord r = ExportGoldenTest.sampleRows().get(0);
        Cef cef = Cef.parse(export(ExportFormat.CEF, List.of(r)).strip());
        assertThat(cef.extension()).containsEntry("rt", "1763781600000")
                .containsEntry("dvchost", "airlock-host-1").containsEntry("cs5", "7f3a9c2e-1d4b-4e6f-8a0c-5b7d9e1f3a2c")
                .containsEntry("cs6", "ops").containsEntry("msg", "user:alice tenant.create tenant:ops: success");
    }
}
