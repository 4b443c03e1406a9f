package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every line of gate/denied.txt is refused in every approval mode, and nothing of it runs. */
class GateDenyCorpusTest {
    static GateFixture f;
    static Gate gate;

    @BeforeAll
    static void open() {
        f = new GateFixture();
        gate = f.gate();
    }

    @AfterAll
    static void close() {
        f.close();
    }

    static List<String> lines() throws IOException {
        try (InputStream in = GateDenyCorpusTest.class.getResourceAsStream("/gate/denied.txt")) {
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    @TestFactory
    Stream<DynamicTest> deniedLine_neverRunsInAnyMode_andIsRecordedAsDenied() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String template : lines()) {
            String line = "touch gate-ran; " + template.replace("{ws}", f.workspace.toString())
                    .replace("{outside}", f.outside.toString()).replace("{airlock}", f.airlockHome.toString());
            for (ApprovalMode mode : ApprovalMode.values()) {
                tests.add(dynamicTest(mode + " :: " + template, () -> {
                    int askedBefore = f.asked.get();
                    int rowsBefore = f.execRows(line).size();
                    ExecOutcome o = f.exec(gate, line, mode);
                    assertThat(o).as("outcome of %s", line).isInstanceOf(ExecOutcome.Refused.class);
                    assertThat(o.exitCode()).isEqualTo(4);
                    assertThat(f.asked.get()).as("the approver is never asked about a deny").isEqualTo(askedBefore);
                    assertThat(f.workspace.resolve("gate-ran")).doesNotExist();
                    assertThat(f.workspace.resolve("sudo-made")).doesNotExist();
                    assertThat(f.outside.resolve("keep.txt")).hasContent("keep");
                    List<GateFixture.Row> rows = f.execRows(line);
                    assertThat(rows).hasSize(rowsBefore + 1);
                    GateFixture.Row row = rows.get(rows.size() - 1);
                    assertThat(row.outcome()).isEqualTo("denied");
                    assertThat(row.details().path("verdict").asText()).isEqualTo("deny");
                    assertThat(row.details().path("approver").asText()).isEqualTo("policy");
                    assertThat(row.details().path("mode").asText()).isEqualTo(mode.name().toLowerCase(java.util.Locale.ROOT));
                    assertThat(Files.list(f.workspace).toList()).isEmpty();
                }));
            }
        }
        return tests.stream();
    }
}
