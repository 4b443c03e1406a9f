package dev.airlock.redact;

import java.io.IOException;
import java.io.Writer;

/** A writer that passes text through a {@link StreamRedactor}. */
final class RedactingWriter extends Writer {
    private final StreamRedactor stream;
    private final Writer out;
    private boolean closed;

    RedactingWriter(StreamRedactor stream, Writer out) {
        this.stream = stream;
        this.out = out;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        ensureOpen();
        String ready = stream.accept(java.nio.CharBuffer.wrap(cbuf, off, len));
        if (!ready.isEmpty()) {
            out.write(ready);
        }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        ensureOpen();
        String ready = stream.accept(str.subSequence(off, off + len));
        if (!ready.isEmpty()) {
            out.write(ready);
        }
    }

    /** Flushes what has been released; text that could still be part of a secret stays held. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.write(stream.finish());
            out.flush();
        } finally {
            out.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("redacting writer is closed");
        }
    }
}
