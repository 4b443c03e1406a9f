package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExportFormatTest {

    @Test
    void parseAcceptsEveryCliName() {
        assertThat(Arrays.stream(ExportFormat.values()).map(f -> ExportFormat.parse(f.cliName())))
                .containsExactly(ExportFormat.values());
        assertThat(Arrays.stream(ExportFormat.values()).map(ExportFormat::cliName))
                .containsExactly("jsonl", "splunk-hec", "datadog", "sumo", "ocsf", "cef");
    }

    @Test
    void parseIgnoresCaseAndSurroundingBlanks() {
        assertThat(ExportFormat.parse(" Splunk-HEC ")).isEqualTo(ExportFormat.SPLUNK_HEC);
    }

    @Test
    void parseRejectsAnUnknownNameAndListsTheValidOnes() {
        assertThatThrownBy(() -> ExportFormat.parse("splunk_hec"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown export format 'splunk_hec'; valid formats: "
                        + "jsonl, splunk-hec, datadog, sumo, ocsf, cef");
        assertThatThrownBy(() -> ExportFormat.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
