package dev.airlock.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes in UTF-8 onto a {@link PrintWriter}, keeping multi-byte characters split across writes whole. */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    WriterOutputStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int pos = off;
        while (pos < off + len) {
            int n = Math.min(pending.remaining(), off + len - pos);
            pending.put(b, pos, n);
            pos += n;
            pending.flip();
            while (true) {
                chars.clear();
                boolean overflow = decoder.decode(pending, chars, false).isOverflow();
                chars.flip();
                out.append(chars);
                if (!overflow) {
                    break;
                }
            }
            pending.compact();
        }
    }

    @Override
    public void flush() {
        out.flush();
    }
}
