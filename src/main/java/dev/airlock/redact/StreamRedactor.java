package dev.airlock.redact;

import java.util.List;

/**
 * Redacts text that arrives in pieces, such as a child process's output. {@link #accept} returns the
 * part that is now safe to pass on and keeps back only what could still be the start of a secret:
 * the unfinished last line (bounded), a known-secret prefix or piece (a line that ends inside a
 * piece of a known secret long enough to count waits for the next line, which may continue it), or an
 * unterminated private key block. Key ids seen earlier in the stream stay in force for later lines,
 * so a bare provider secret key after its id is caught (see {@link PairedKeys}).
 * The concatenation of every returned string and {@link #finish()} equals
 * {@link Redactor#redact(String)} of the whole text whenever no line is longer than the hold limit.
 *
 * <p>Complete lines are released as soon as their line break arrives. Text without a line break is
 * held until {@value #HOLD} chars pile up or the stream finishes, so an interactive prompt without a
 * newline appears only at {@link #finish()}. Not thread-safe: one instance per stream.
 */
public final class StreamRedactor {
    /** Chars of an unfinished line held back; at least the longest single-line detector match. */
    static final int HOLD = 1 << 15;
    /** An unterminated key block is held up to this size, then hidden wholesale. */
    static final int MAX_BLOCK = Scanners.MAX_KEY_BLOCK;

    private final Redactor redactor;
    private final int hold;
    private StringBuilder buf = new StringBuilder();
    /** Start of an unterminated key block in {@link #buf}, or -1. */
    private int openBlock = -1;
    /** Inside an oversized key block already replaced: drop text until its END line. */
    private boolean discarding;
    private boolean finished;
    /** Key id providers seen so far in this stream, so a bare secret key on a later line is caught. */
    private final int[] keyIds = new int[1];

    StreamRedactor(Redactor redactor) {
        this.redactor = redactor;
        this.hold = Math.max(HOLD, redactor.maxMatchLength() + 1);
    }

    /** Feeds the next chunk; returns redacted text that can be emitted now (possibly empty). */
    public String accept(CharSequence chunk) {
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
        int before = buf.length();
        buf.append(chunk);
        if (discarding && !skipDiscarded()) {
            return "";
        }
        if (openBlock >= 0) {
            int from = Math.max(openBlock, before - 16);
            if (buf.indexOf("-----END", from) < 0 && buf.length() - openBlock < MAX_BLOCK) {
                return "";
            }
        } else if (!hasLineBreak(chunk) && buf.length() < 2 * hold) {
            return "";
        }
        return drain(false);
    }

    /** Ends the stream and returns everything still held, redacted. */
    public String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        if (discarding) {
            buf.setLength(0);
            return "";
        }
        String out = drain(true);
        buf = new StringBuilder();
        return out;
    }

    private String drain(boolean all) {
        String text = buf.toString();
        int len = text.length();
        int cut;
        if (all) {
            cut = len;
        } else {
            cut = lastLineBreak(text) + 1;
            if (len - cut > hold) {
                cut = len - hold;
            }
        }
        int[] depth = new int[1];
        List<Span> spans = redactor.spans(text, cut, all ? null : depth, keyIds);
        openBlock = -1;
        int openStart = -1;
        if (!all) {
            cut -= depth[0];
            for (Span s : spans) {
                if (s.open) {
                    if (s.end - s.start >= MAX_BLOCK) {
                        // Too large to hold: replace what we have and swallow the rest of the block.
                        cut = len;
                        discarding = true;
                    } else {
                        openStart = s.start;
                        cut = Math.min(cut, s.start);
                    }
                    break;
                }
            }
            for (Span s : spans) {
                if (s.start < cut && s.end > cut) {
                    cut = s.start;
                }
            }
            if (openStart >= 0) {
                openBlock = openStart - cut;
            }
        }
        StringBuilder out = new StringBuilder(cut + 16);
        redactor.render(text, 0, cut, spans, out);
        buf = new StringBuilder(len - cut + 1024);
        buf.append(text, cut, len);
        if (discarding) {
            buf.setLength(0);
        }
        return out.toString();
    }

    /** Drops held text up to the end of the swallowed key block; true once normal output resumes. */
    private boolean skipDiscarded() {
        int end = buf.indexOf("-----END");
        if (end < 0) {
            int keep = Math.min(buf.length(), 16);
            buf.delete(0, buf.length() - keep);
            return false;
        }
        int close = buf.indexOf("-----", end + 8);
        if (close < 0) {
            buf.delete(0, end);
            return false;
        }
        buf.delete(0, close + 5);
        discarding = false;
        return true;
    }

    private static boolean hasLineBreak(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private static int lastLineBreak(String s) {
        return Math.max(s.lastIndexOf('\n'), s.lastIndexOf('\r'));
    }
}
