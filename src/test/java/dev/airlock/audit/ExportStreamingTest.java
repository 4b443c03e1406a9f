package dev.airlock.audit;

import static dev.airlock.audit.ExportGoldenTest.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** How exporters consume rows and treat the writer, independent of any one layout. */
class ExportStreamingTest {

    /** Counts the lines it is given and keeps nothing, so a large export stays cheap to check. */
    private static final class LineCounter extends Writer {
        long lines;

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Rows made on demand, checking how much output exists when each row is asked for. */
    private static final class Rows implements Iterator<AuditRecord> {
        final long total;
        final LineCounter out;
        final int rowsPerLine;
        long next = 1;

        Rows(long total, LineCounter out, int rowsPerLine) {
            this.total = total;
            this.out = out;
            this.rowsPerLine = rowsPerLine;
        }

        @Override
        public boolean hasNext() {
            return next <= total;
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            // Everything before the current line (or batch) has already been handed to the writer.
            assertThat(out.lines).as("lines written before row %d", next).isEqualTo((next - 1) / rowsPerLine);
            return ExportRoundTripTest.row(next++, "u", "a.create", "t", "success", "{}");
        }
    }

    @TestFactory
    Stream<DynamicTest> exportersWriteEachRecordBeforeAskingForMoreThanTheyNeed() {
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> {
                    LineCounter out = new LineCounter();
                    int perLine = format == ExportFormat.DATADOG ? 1000 : 1;
                    long written = AuditExporter.create(format, CONTEXT).write(new Rows(2345, out, perLine), out);
                    assertThat(written).isEqualTo(2345);
                    assertThat(out.lines).isEqualTo((2345 + perLine - 1) / perLine);
                }));
    }

    @TestFactory
    Stream<DynamicTest> noRowsWriteNothingAndReturnZero() {
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> {
                    StringWriter out = new StringWriter();
                    assertThat(AuditExporter.create(format, CONTEXT).write(List.<AuditRecord>of().iterator(), out))
                            .isZero();
                    assertThat(out.toString()).isEmpty();
                }));
    }

    @Test
    void theWriterIsLeftOpenForTheCallerToClose() throws Exception {
        boolean[] closed = {false};
        Writer out = new StringWriter() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        for (ExportFormat f : ExportFormat.values()) {
            AuditExporter.create(f, CONTEXT).write(ExportGoldenTest.sampleRows().iterator(), out);
        }
        assertThat(closed[0]).isFalse();
    }

    @TestFactory
    Stream<DynamicTest> detailsThatAreNotOneJsonObjectFailAsAnIntegrityErrorNamingTheRow() {
        AuditRecord damaged = ExportRoundTripTest.row(42, "u", "a.b", "t", "success", "{\"a\":1}\n,\"hash\":\"x\"");
        return Arrays.stream(ExportFormat.values()).map(format -> DynamicTest.dynamicTest(
                format.cliName(), () -> assertThatThrownBy(() -> AuditExporter.create(format, CONTEXT)
                        .write(List.of(damaged).iterator(), new StringWriter()))
                        .isInstanceOfSatisfying(AuditException.class,
                                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INTEGRITY))
                        .hasMessageContaining("audit row 42")));
    }

    @Test
    void lineBreaksBetweenTokensOfDetailsDoNotBreakTheLine() throws Exception {
        AuditRecord r = ExportRoundTripTest.row(1, "u", "a.b", "t", "success", "{\"a\":\r\n1}");
        for (ExportFormat f : ExportFormat.values()) {
            assertThat(ExportGoldenTest.export(f, List.of(r)).lines()).as(f.cliName()).hasSize(1);
        }
    }

    @Test
    void formatReportsWhatWasAskedFor() {
        for (ExportFormat f : ExportFormat.values()) {
            assertThat(AuditExporter.create(f, CONTEXT).format()).isEqualTo(f);
        }
    }
}
