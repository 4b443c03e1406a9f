package dev.airlock.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;

/** The exporter of every format that writes one self-contained line per row. */
final class ExportLines implements AuditExporter {

    /** Turns one row into one line of output, without the line terminator. */
    interface Encoder {
        String encode(AuditRecord row) throws IOException;
    }

    private final ExportFormat format;
    private final Encoder encoder;

    ExportLines(ExportFormat format, Encoder encoder) {
        this.format = format;
        this.encoder = encoder;
    }

    @Override
    public ExportFormat format() {
        return format;
    }

    @Override
    public long write(Iterator<AuditRecord> rows, Writer out) throws IOException {
        long count = 0;
        while (rows.hasNext()) {
            out.write(encoder.encode(rows.next()));
            out.write('\n');
            count++;
        }
        return count;
    }
}
