package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hashing rule of the audit log, in one place (specified in {@code docs/audit-format.md}):
 *
 * <pre>
 * genesis  = hex(SHA-256(UTF-8("airlock-audit-v1:" + log_id)))
 * row_json = RFC 8785 canonical JSON of {seq, time, actor, action, target, outcome, details, prev_hash}
 * hash     = hex(SHA-256(bytes(prev_hash) || UTF-8(row_json)))      bytes() = hex-decoded, 32 bytes
 * </pre>
 *
 * <p>The row object has a fixed set of members, so its canonical form is written directly, members
 * in RFC 8785 order (sorted by UTF-16 code units): action, actor, details, outcome, prev_hash, seq,
 * target, time. {@code details} is stored already canonical and is embedded verbatim. An instance
 * reuses its buffers and is not thread-safe.
 *
 * <p>{@link #hash} writes the canonical row straight into a reused UTF-8 byte buffer (no
 * intermediate {@code String}); its bytes are exactly those of
 * {@code canonicalRow(...).getBytes(UTF_8)}, a lone surrogate included (it becomes {@code '?'}, as
 * {@link String#getBytes} makes it). The known-answer tests in {@code AuditChainFormatTest} hold
 * the two paths, and an independent computation, to the same hashes.
 */
final class AuditChain {
    static final String GENESIS_PREFIX = "airlock-audit-v1:";
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256 = newSha256();
    private final byte[] digest = new byte[32];
    private byte[] buf = new byte[512];
    private int pos;

    static String genesis(String logId) {
        return HEX.formatHex(newSha256().digest((GENESIS_PREFIX + logId).getBytes(StandardCharsets.UTF_8)));
    }

    /** The canonical JSON of a row without its hash. */
    static String canonicalRow(long seq, long time, String actor, String action, String target, String outcome,
            String details, String prevHash) {
        StringBuilder b = new StringBuilder(256);
        appendCanonical(b, seq, time, actor, action, target, outcome, details, prevHash);
        return b.toString();
    }

    /** The hash of a row whose fields are given; {@code prevHash} must be 64 lowercase hex digits. */
    String hash(long seq, long time, String actor, String action, String target, String outcome, String details,
            String prevHash) {
        byte[] prev = HEX.parseHex(prevHash);
        pos = 0;
        ascii("{\"action\":");
        jsonString(action);
        ascii(",\"actor\":");
        jsonString(actor);
        ascii(",\"details\":");
        utf8(details);
        ascii(",\"outcome\":");
        jsonString(outcome);
        ascii(",\"prev_hash\":");
        jsonString(prevHash);
        ascii(",\"seq\":");
        number(seq);
        ascii(",\"target\":");
        jsonString(target);
        ascii(",\"time\":");
        number(time);
        ascii("}");
        sha256.reset();
        sha256.update(prev);
        sha256.update(buf, 0, pos);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
        }
        return HEX.formatHex(digest);
    }

    // The byte writers below mirror appendCanonical/string followed by String.getBytes(UTF_8).

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    /** A literal made of ASCII characters only. */
    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void number(long v) {
        ascii(Long.toString(v));
    }

    /** {@code s} as UTF-8, as {@link String#getBytes} encodes it (a lone surrogate becomes '?'). */
    private void utf8(String s) {
        int n = s.length();
        ensure(n * 3);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else {
                i = utf8NonAscii(s, i, c);
            }
        }
    }

    /** Encodes the non-ASCII char at {@code i} (a pair when it starts one); returns the last index used. */
    private int utf8NonAscii(String s, int i, char c) {
        if (c < 0x800) {
            buf[pos++] = (byte) (0xc0 | (c >> 6));
            buf[pos++] = (byte) (0x80 | (c & 0x3f));
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[pos++] = (byte) (0xf0 | (cp >> 18));
            buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            buf[pos++] = (byte) (0x80 | (cp & 0x3f));
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            buf[pos++] = '?';
            return i;
        }
        buf[pos++] = (byte) (0xe0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[pos++] = (byte) (0x80 | (c & 0x3f));
        return i;
    }

    /** A JSON string as {@link #string} writes it, encoded as UTF-8. */
    private void jsonString(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        buf[pos++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[pos++] = (byte) c;
                continue;
            }
            switch (c) {
                case '"' -> escape('"');
                case '\\' -> escape('\\');
                case '\b' -> escape('b');
                case '\f' -> escape('f');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                case '\t' -> escape('t');
                default -> {
                    if (c < 0x20) {
                        buf[pos++] = '\\';
                        buf[pos++] = 'u';
                        buf[pos++] = '0';
                        buf[pos++] = '0';
                        buf[pos++] = (byte) Character.forDigit(c >> 4, 16);
                        buf[pos++] = (byte) Character.forDigit(c & 0xf, 16);
                    } else {
                        i = utf8NonAscii(s, i, c);
                    }
                }
            }
        }
        buf[pos++] = '"';
    }

    private void escape(char c) {
        buf[pos++] = '\\';
        buf[pos++] = (byte) c;
    }

    String hash(AuditRecord r) {
        return hash(r.seq(), r.time(), r.actor(), r.action(), r.target(), r.outcome(), r.details(), r.prevHash());
    }

    private static void appendCanonical(StringBuilder b, long seq, long time, String actor, String action,
            String target, String outcome, String details, String prevHash) {
        b.append("{\"action\":");
        string(b, action);
        b.append(",\"actor\":");
        string(b, actor);
        b.append(",\"details\":").append(details);
        b.append(",\"outcome\":");
        string(b, outcome);
        b.append(",\"prev_hash\":");
        string(b, prevHash);
        b.append(",\"seq\":").append(seq);
        b.append(",\"target\":");
        string(b, target);
        b.append(",\"time\":").append(time);
        b.append('}');
    }

    /** A JSON string as RFC 8785 (ECMAScript JSON.stringify) writes it. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** True when every surrogate in {@code s} is paired: lone surrogates have no UTF-8 form. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
