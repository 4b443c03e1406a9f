package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each format's output for the sample rows in {@code audit/export/rows.jsonl} is exactly its golden
 * file {@code audit/export/<format>.golden}. The sample rows are one real chain of their log id
 * ({@code DocExamplesTest} holds that, so the examples in {@code docs/audit-export.md} verify),
 * although exporters copy hashes and never check them.
 *
 * <p>On a mismatch the actual output is written to {@code target/export-golden-actual/} so a
 * reviewer can diff it; a golden file is only ever changed by hand after that review.
 */
class ExportGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ExportContext CONTEXT = new ExportContext("ops", "7f3a9c2e-1d4b-4e6f-8a0c-5b7d9e1f3a2c", "airlock-host-1", "0.1.0");

    @TestFactory
    Stream<DynamicTest> eachFormatWritesExactlyItsGoldenFile() {
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> {
                    String actual = export(format, sampleRows());
                    String expected = ExportGoldenTest.class.getResource(
                            "/audit/export/" + format.cliName() + ".golden") == null
                            ? "(missing golden file)" : resource(format.cliName() + ".golden");
                    if (!actual.equals(expected)) {
                        Path dir = Path.of("target", "export-golden-actual");
                        Files.createDirectories(dir);
                        Files.writeString(dir.resolve(format.cliName() + ".golden"), actual);
                    }
                    assertThat(actual).isEqualTo(expected);
                }));
    }

    /** The sample rows; {@code details} is stored there as a string so its exact text is kept. */
    static List<AuditRecord> sampleRows() {
        List<AuditRecord> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                open("rows.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode n = JSON.readTree(line);
                rows.add(new AuditRecord(n.get("seq").asLong(), n.get("time").asLong(),
                        n.get("actor").asText(), n.get("action").asText(), n.get("target").asText(),
                        n.get("outcome").asText(), n.get("details").asText(),
                        n.get("prev_hash").asText(), n.get("hash").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static String export(ExportFormat format, List<AuditRecord> rows) throws IOException {
        StringWriter out = new StringWriter();
        long written = AuditExporter.create(format, CONTEXT).write(rows.iterator(), out);
        assertThat(written).isEqualTo(rows.size());
        return out.toString();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream open(String name) {
        InputStream in = ExportGoldenTest.class.getResourceAsStream("/audit/export/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource audit/export/" + name);
        }
        return in;
    }
}
