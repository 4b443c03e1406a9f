package dev.airlock.redact;

import dev.airlock.home.TextFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Hides secrets and personal data in text: {@code AKIA…} becomes {@code [REDACTED:aws-access-key]},
 * or {@code [REDACTED:aws-access-key:3f9a1c]} with keyed tags on. This is the one API every output
 * path calls: {@link #redact(String)} for strings, {@link #asTextFilter()} for logs and audit details,
 * {@link #newStream()} / {@link #wrap(Writer)} / {@link #wrap(OutputStream)} for process output as it
 * arrives, {@link #redact(Reader, Writer)} for files and {@link #scan(String)} for a report.
 *
 * <p>Guarantees: immutable and thread-safe; time linear in the input for every detector; a tag is an
 * HMAC-SHA256 under a per-instance key (random unless given), so equal values get equal tags within
 * the session and a tag reveals nothing about the value; nothing here logs or throws a matched value.
 * The {@link KnownSecrets} set it was built with stays live: values added or cleared later are
 * honoured by the next call.
 */
public final class Redactor {
    private static final int TAG_HEX_CHARS = 6;

    private final Detectors detectors;
    private final KnownSecrets known;
    private final Set<String> allow;
    private final byte @Nullable [] tagKey;
    private final ThreadLocal<Mac> macs;

    private Redactor(Builder b) {
        RedactionConfig config = b.config;
        this.detectors = new Detectors(config);
        this.known = b.known;
        this.allow = new HashSet<>(config.allow());
        if (config.hashTags()) {
            byte[] key = b.tagKey;
            if (key == null) {
                key = new byte[32];
                new SecureRandom().nextBytes(key);
            }
            this.tagKey = key;
        } else {
            this.tagKey = null;
        }
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A redactor for {@code config} with no known secrets. */
    public static Redactor create(RedactionConfig config) {
        return builder().config(config).build();
    }

    /** A redactor for {@code config} that also hides every value in {@code known}, now and later. */
    public static Redactor create(RedactionConfig config, KnownSecrets known) {
        return builder().config(config).knownSecrets(known).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The live known-secret set this redactor consults; the vault adds to and clears it. */
    public KnownSecrets knownSecrets() {
        return known;
    }

    /** The detector names this redactor can put in a replacement. */
    public List<String> detectorTypes() {
        return detectors.types();
    }

    /** {@code text} with every finding replaced. Returns {@code text} itself when nothing was found. */
    public String redact(String text) {
        List<Span> spans = spans(text, 0, null);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        render(text, 0, text.length(), spans, out);
        return out.toString();
    }

    /** Where {@link #redact(String)} would replace text, and by which detector; no values. */
    public List<Finding> scan(String text) {
        List<Span> spans = spans(text, 0, null);
        List<Finding> findings = new ArrayList<>(spans.size());
        int line = 1;
        int lineStart = 0;
        int pos = 0;
        for (Span s : spans) {
            for (; pos < s.start; pos++) {
                if (text.charAt(pos) == '\n') {
                    line++;
                    lineStart = pos + 1;
                }
            }
            findings.add(new Finding(s.type, line, s.start - lineStart + 1, s.start, s.end - s.start));
        }
        return List.copyOf(findings);
    }

    /**
     * This redactor as the hook logging and audit use. It never throws: should redaction itself fail
     * (a bug), the whole text is withheld rather than passed through.
     */
    public TextFilter asTextFilter() {
        return text -> {
            try {
                return redact(text);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                return "[REDACTED:redaction-failed]";
            }
        };
    }

    /** A fresh incremental redactor for one stream (not shared between threads). */
    public StreamRedactor newStream() {
        return new StreamRedactor(this);
    }

    /**
     * A writer that redacts into {@code out}. Text is passed on line by line; {@link Writer#close()}
     * releases the held-back rest and closes {@code out}.
     */
    public Writer wrap(Writer out) {
        return new RedactingWriter(newStream(), out);
    }

    /** Like {@link #wrap(Writer)} for a byte stream in UTF-8, e.g. a child process's stdout. */
    public OutputStream wrap(OutputStream out) {
        return new RedactingOutputStream(wrap(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Copies {@code in} to {@code out} redacted, in bounded memory; neither is closed. */
    public void redact(Reader in, Writer out) throws IOException {
        StreamRedactor stream = newStream();
        char[] buf = new char[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n > 0) {
                out.write(stream.accept(new String(buf, 0, n)));
            }
        }
        out.write(stream.finish());
        out.flush();
    }

    /**
     * Merged, ordered, non-overlapping spans. When {@code probeDepth} is given, its first slot receives
     * how many chars before {@code probe} could begin a known secret that continues after it.
     */
    List<Span> spans(String text, int probe, int @Nullable [] probeDepth) {
        return spans(text, probe, probeDepth, null);
    }

    /**
     * As {@link #spans(String, int, int[])}; {@code keyIds}, when given, carries the key ids seen so
     * far in a stream (see {@link PairedKeys}) into this text and back out.
     */
    List<Span> spans(String text, int probe, int @Nullable [] probeDepth, int @Nullable [] keyIds) {
        List<Span> raw = new ArrayList<>();
        int n = text.length();
        // One copy up front: the full-text passes below index an array far faster than String.charAt.
        char[] chars = text.toCharArray();
        int ids = detectors.find(text, chars, keyIds == null ? 0 : keyIds[0], (s, e, type, rank, v) -> {
            if (!allow.isEmpty() && allow.contains(v != null ? v : text.substring(s, e))) {
                return;
            }
            boolean open = (type.equals("private-key") || type.equals("pgp-private-key")) && !text.startsWith("-----", e - 5);
            raw.add(new Span(s, e, type, rank, open));
        });
        if (keyIds != null) {
            keyIds[0] = ids;
        }
        int depth = known.withAutomata((a, f) -> {
            int exact = a == null ? 0 : a.scan(chars, probe, (s, e, b64) -> {
                if (b64) {
                    raw.add(widened(text, s, e));
                } else {
                    raw.add(new Span(s, e, "known-secret", 0, false));
                }
            });
            // A piece may be the middle of a base64 encoding whose edge chars carry some of its bits.
            int piece = f == null ? 0 : f.scan(chars, probe, (s, e) -> raw.add(widened(text, s, e)));
            return Math.max(exact, piece);
        });
        if (probeDepth != null) {
            probeDepth[0] = depth;
        }
        if (raw.isEmpty()) {
            return List.of();
        }
        raw.sort(Comparator.comparingInt((Span s) -> s.start).thenComparingInt(s -> -s.end));
        List<Span> merged = new ArrayList<>();
        Span cur = raw.get(0);
        for (int i = 1; i < raw.size(); i++) {
            Span s = raw.get(i);
            if (s.start < cur.end) {
                Span winner = s.rank < cur.rank ? s : cur;
                cur = new Span(cur.start, Math.max(cur.end, s.end), winner.type, Math.min(cur.rank, s.rank),
                        cur.open || s.open);
            } else {
                merged.add(cur);
                cur = s;
            }
        }
        merged.add(cur);
        return merged;
    }

    /** A base64 match widened over the neighbouring chars that share bits with it, and its padding. */
    private static Span widened(String text, int s, int e) {
        int n = text.length();
        int start = s;
        int end = e;
        if (start > 0 && isBase64Char(text.charAt(start - 1))) {
            start--;
        }
        if (end < n && isBase64Char(text.charAt(end))) {
            end++;
        }
        while (end < n && text.charAt(end) == '=' && end - e < 4) {
            end++;
        }
        return new Span(start, end, "known-secret", 0, false);
    }

    /** Appends {@code text[from, to)} with the spans lying inside it replaced. */
    void render(String text, int from, int to, List<Span> spans, StringBuilder out) {
        int pos = from;
        for (Span s : spans) {
            if (s.start < from || s.end > to) {
                continue;
            }
            out.append(text, pos, s.start);
            out.append("[REDACTED:").append(s.type);
            if (tagKey != null) {
                out.append(':').append(tag(text, s.start, s.end));
            }
            out.append(']');
            pos = s.end;
        }
        out.append(text, pos, to);
    }

    int maxMatchLength() {
        return detectors.maxMatchLength;
    }

    private String tag(String text, int start, int end) {
        Mac mac = macs.get();
        char[] chars = new char[end - start];
        text.getChars(start, end, chars, 0);
        java.nio.ByteBuffer bytes = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        mac.update(bytes);
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        return HexFormat.of().formatHex(mac.doFinal()).substring(0, TAG_HEX_CHARS);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tagKey == null ? new byte[32] : tagKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static boolean isBase64Char(char c) {
        return Checks.isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_';
    }

    /** Builds a {@link Redactor}; the configuration is frozen at {@link #build()}. */
    public static final class Builder {
        private RedactionConfig config = RedactionConfig.defaults();
        private KnownSecrets known = KnownSecrets.create();
        private byte @Nullable [] tagKey;

        private Builder() {}

        public Builder config(RedactionConfig config) {
            this.config = config;
            return this;
        }

        /** The live set to consult; defaults to an empty set of its own. */
        public Builder knownSecrets(KnownSecrets known) {
            this.known = known;
            return this;
        }

        /**
         * The HMAC key for tags (copied, at least 16 bytes), for tags that must stay stable across
         * processes of one session; without it each redactor draws a random key.
         */
        public Builder tagKey(byte[] key) {
            if (key.length < 16) {
                throw new RedactionException("redaction tag key: need at least 16 bytes, got " + key.length);
            }
            this.tagKey = key.clone();
            return this;
        }

        /**
         * @throws RedactionException (exit 2) if a user pattern is invalid, naming it by position and name
         */
        public Redactor build() {
            return new Redactor(this);
        }
    }
}
