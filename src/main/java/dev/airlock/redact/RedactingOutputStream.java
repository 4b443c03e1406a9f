package dev.airlock.redact;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 bytes as they come (a multi-byte char may be split across writes) and hands the
 * chars to a redacting writer. Malformed bytes become U+FFFD rather than an exception, because a
 * child process's output is never trusted to be valid.
 */
final class RedactingOutputStream extends OutputStream {
    private final Writer out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    RedactingOutputStream(Writer out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int n = Math.min(pending.remaining(), end - pos);
            pending.put(b, pos, n);
            pos += n;
            decode(false);
        }
    }

    private void decode(boolean endOfInput) throws IOException {
        pending.flip();
        while (true) {
            var result = decoder.decode(pending, chars, endOfInput);
            chars.flip();
            if (chars.hasRemaining()) {
                out.write(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
            }
            chars.clear();
            if (!result.isOverflow()) {
                break;
            }
        }
        pending.compact();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        decode(true);
        decoder.flush(chars);
        chars.flip();
        if (chars.hasRemaining()) {
            out.write(chars.array(), 0, chars.remaining());
        }
        out.close();
    }
}
