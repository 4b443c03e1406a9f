package dev.airlock.redact;

import java.util.List;
import java.util.Locale;

/**
 * Bare secret keys that only their access key id gives away. An AWS secret access key is 40 chars of
 * base64 with nothing to tell it from other base64 when it is printed without its name ({@code cut
 * -d= -f2 ~/.aws/credentials}); the same holds for Alibaba Cloud's 30-char and Tencent Cloud's 32-char
 * secrets. So a token of exactly that shape is redacted when a key id of the same provider appears in
 * the same text, or earlier in the same stream: {@code AKIA…}/{@code ASIA…} (and the other AWS id
 * prefixes) or Google Cloud's HMAC id {@code GOOG1…} for the 40-char shape, {@code LTAI…} for
 * Alibaba, {@code AKID…} for Tencent.
 *
 * <p>False positives are kept down by the pairing itself (ids are rare in ordinary text) and by the
 * shape: the token must stand alone (not part of a longer base64, identifier or path), mix upper- and
 * lower-case letters and digits, use letters outside hex (a git SHA-1 is never taken), and have the
 * char entropy of random text. A secret printed in an earlier, already released stream line than its
 * id is not caught: redaction cannot take back what it has passed on.
 */
final class PairedKeys {
    private PairedKeys() {}

    static final int AWS = 1;
    static final int ALIBABA = 2;
    static final int TENCENT = 4;

    static final String AWS_TYPE = "aws-secret-key";
    static final String ALIBABA_TYPE = "alibaba-secret-key";
    static final String TENCENT_TYPE = "tencent-secret-key";
    private static final int RANK = 10;

    /** Id prefixes that are not already keywords of a catalogue rule (AWS ids come from the aws-access-key rule). */
    static final List<String> ID_KEYWORDS = List.of("GOOG1", "LTAI", "AKID");

    /** The provider flag of a valid id starting at {@code start} with {@code keyword}, else 0. */
    static int idAt(String text, int start, String keyword) {
        if (start > 0 && Checks.isAlnum(text.charAt(start - 1))) {
            return 0;
        }
        int body = start + keyword.length();
        int end = body;
        int n = text.length();
        while (end < n && Checks.isAlnum(text.charAt(end))) {
            end++;
        }
        int len = end - body;
        String upper = keyword.toUpperCase(Locale.ROOT);
        if (!text.startsWith(upper, start)) {
            return 0; // ids are upper-case prefixes; the keyword index matches case-insensitively
        }
        return switch (upper) {
            case "GOOG1" -> len >= 10 && len <= 70 && upperAlnum(text, body, end) ? AWS : 0;
            case "LTAI" -> len >= 12 && len <= 20 ? ALIBABA : 0;
            case "AKID" -> len >= 13 && len <= 40 ? TENCENT : 0;
            default -> 0;
        };
    }

    private static boolean upperAlnum(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Reports every token shaped like a secret of a provider whose id is in {@code seen}. */
    static void secrets(char[] t, int seen, Detectors.SpanSink sink) {
        int n = t.length;
        // Tokens of interest are at least MIN_TOKEN long, so probing every MIN_TOKEN-th char (and
        // from the end of each token probed) lands inside every one of them.
        int i = MIN_TOKEN - 1;
        while (i < n) {
            if (!tokenChar(t[i])) {
                i += MIN_TOKEN;
                continue;
            }
            int s = i;
            while (s > 0 && tokenChar(t[s - 1])) {
                s--;
            }
            int e = i + 1;
            while (e < n && tokenChar(t[e])) {
                e++;
            }
            i = e + MIN_TOKEN;
            int len = e - s;
            int provider = len == 40 ? AWS : len == 30 ? ALIBABA : len == 32 ? TENCENT : 0;
            if ((provider & seen) == 0 || (e < n && t[e] == '=') || !mixed(t, s, e)) {
                continue; // no id of that provider; base64 padding (a longer encoding); no mixed case
            }
            String v = new String(t, s, len);
            if (len == 40 && (seen & AWS) != 0 && secret(v, true)) {
                sink.span(s, e, AWS_TYPE, RANK, v);
            } else if (len == 30 && (seen & ALIBABA) != 0 && secret(v, false)) {
                sink.span(s, e, ALIBABA_TYPE, RANK, v);
            } else if (len == 32 && (seen & TENCENT) != 0 && secret(v, false)) {
                sink.span(s, e, TENCENT_TYPE, RANK, v);
            }
        }
    }

    private static final int MIN_TOKEN = 30;

    /** Upper- and lower-case letters and a digit, before any allocation. */
    private static boolean mixed(char[] t, int from, int to) {
        int kinds = 0;
        for (int i = from; i < to; i++) {
            char c = t[i];
            kinds |= c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 4 : 0;
        }
        return kinds == 7;
    }

    /** Token chars include {@code -} and {@code _} so that a longer identifier or base64url blob is one token. */
    private static boolean tokenChar(char c) {
        return c < 128 && TOKEN[c];
    }

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            TOKEN[c] = Checks.isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_';
        }
    }

    static boolean secret(String v, boolean base64) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean beyondHex = false;
        int slashes = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
                beyondHex |= c > 'F';
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
                beyondHex |= c > 'f';
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '/' || c == '+') {
                if (!base64) {
                    return false;
                }
                beyondHex = true;
                slashes++;
            } else {
                return false; // '-' or '_': an identifier, not a key
            }
        }
        return upper && lower && digit && beyondHex && slashes <= 5 && !v.contains("//")
                && !Catalog.isDocExample(v) && Checks.entropy(v) >= (base64 ? 4.0 : 3.8);
    }
}
