package dev.airlock.redact;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Validators that turn a pattern match into a finding: checksums, entropy and placeholder tests. */
final class Checks {
    private Checks() {}

    /** Luhn (ISO/IEC 7812-1 annex B) over the digits of {@code s}, ignoring separators. */
    static boolean luhn(CharSequence s) {
        int sum = 0;
        boolean dbl = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /**
     * Issuer prefixes of the card networks a payment log would contain (ISO/IEC 7812 IIN ranges as
     * published by the networks). Requiring one cuts false positives on long numeric ids by ~5x.
     */
    static boolean cardPrefix(String digits) {
        int n = digits.length();
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p3 = p4 / 10;
        if (digits.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15; // American Express
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
            return n >= 16 && n <= 19; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return n >= 16 && n <= 19; // JCB
        }
        if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305)) {
            return n == 14; // Diners Club
        }
        if (p2 == 62) {
            return n >= 16 && n <= 19; // UnionPay
        }
        return false;
    }

    /** IBAN lengths per country (ISO 13616 registry, SWIFT release 2024). */
    private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
            Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
            Map.entry("BH", 22), Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21),
            Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22),
            Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29),
            Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27),
            Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18),
            Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
            Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20),
            Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24),
            Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MR", 27), Map.entry("MT", 31),
            Map.entry("MU", 30), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PK", 24),
            Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
            Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24), Map.entry("SC", 31),
            Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27),
            Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
            Map.entry("VG", 24), Map.entry("XK", 20));

    private static final byte[] IBAN_TABLE = new byte[26 * 26];

    static {
        IBAN_LENGTHS.forEach((cc, len) -> IBAN_TABLE[(cc.charAt(0) - 'A') * 26 + cc.charAt(1) - 'A'] = (byte) (int) len);
    }

    static int ibanLength(char a, char b) {
        int len = IBAN_TABLE[(a - 'A') * 26 + (b - 'A')];
        return len == 0 ? -1 : len;
    }

    /** ISO 13616 check: move the first four chars to the end, letters to numbers, mod 97 == 1. */
    static boolean ibanMod97(CharSequence compact) {
        int n = compact.length();
        int rem = 0;
        for (int k = 0; k < n; k++) {
            char c = compact.charAt((k + 4) % n);
            if (c >= '0' && c <= '9') {
                rem = (rem * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                rem = (rem * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }

    /** Shannon entropy in bits per char. */
    static double entropy(CharSequence s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = other / n;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    private static final Set<String> PLACEHOLDER_WORDS = Set.of(
            "changeme", "change_me", "change-me", "changeit", "example", "sample", "placeholder",
            "dummy", "redacted", "your", "xxxx", "****", "....", "<", ">", "${", "{{", "}}", "$(",
            "%(", "todo", "fixme", "insert", "replace", "secret_here", "here", "foobar", "lorem",
            "notreal", "not-real", "not_real", "fake", "mock", "environ", "getenv", "process.env", "env[",
            "env(", "secrets.", "vault:");

    private static final Set<String> PLACEHOLDER_EXACT = Set.of(
            "password", "passwd", "pass", "secret", "token", "none", "null", "nil", "true", "false",
            "undefined", "empty", "test", "testing", "admin", "root", "user", "username", "pwd", "key",
            "apikey", "api_key");

    /**
     * Values that are obviously not a real credential: templating ({@code ${VAR}}, {@code {{ x }}},
     * {@code <your-key>}), environment references ({@code $TOKEN}), the words people type as
     * placeholders, masks ({@code ********}) and runs of one char.
     */
    static boolean isPlaceholder(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (PLACEHOLDER_EXACT.contains(v)) {
            return true;
        }
        for (String w : PLACEHOLDER_WORDS) {
            if (v.contains(w)) {
                return true;
            }
        }
        if (v.startsWith("$") || (v.startsWith("%") && v.endsWith("%")) || (v.startsWith("{") && v.endsWith("}"))) {
            return true;
        }
        int distinct = (int) v.chars().distinct().count();
        return distinct <= 2;
    }

    /**
     * Whether the value of a {@code password = "..."} style assignment is plausibly a real secret.
     * Real passwords and tokens mix character classes and are not words, paths, URLs, dotted
     * property names or prose; the thresholds were tuned on the quality corpus (see
     * {@code RedactQuality}).
     */
    static boolean plausibleSecret(String v, boolean quoted, boolean codeStatement) {
        int n = v.length();
        if (n < 8 || n > 200 || isPlaceholder(v)) {
            return false;
        }
        int lower = 0;
        int upper = 0;
        int digit = 0;
        int symbol = 0;
        int weakSymbol = 0;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower++;
            } else if (c >= 'A' && c <= 'Z') {
                upper++;
            } else if (c >= '0' && c <= '9') {
                digit++;
            } else if (c == '.' || c == '_' || c == '-' || c == '/') {
                weakSymbol++;
            } else if (Character.isWhitespace(c)) {
                return false;
            } else {
                symbol++;
            }
        }
        if (digit == 0 && symbol == 0) {
            // Letters only: a random token flips case often; an identifier (passwordFromVault) rarely.
            return !codeStatement && n >= 12 && caseFlips(v) * 5 >= n * 2 && entropy(v) >= 3.5;
        }
        if (digit == n || (digit + weakSymbol == n)) {
            return false; // numbers, versions, dates
        }
        if (v.contains("://") || looksLikePath(v) || hasFileExtension(v)) {
            return false;
        }
        int classes = (lower > 0 ? 1 : 0) + (upper > 0 ? 1 : 0) + (digit > 0 ? 1 : 0) + (symbol > 0 ? 1 : 0);
        if (classes < 2) {
            return false;
        }
        double h = entropy(v);
        if (!quoted && (v.contains("\\u") || (codeStatement && v.indexOf('.') >= 0))) {
            return false; // escaped text (\u00E3), or a member access in code (a.b.c;)
        }
        if (!quoted && symbol == 0 && codeStatement) {
            // A bare word ending a code statement is usually an identifier (token = nextToken2;);
            // random tokens have many digits and high entropy.
            return digit >= 3 && h >= 3.0;
        }
        return h >= (classes >= 3 ? 2.5 : 2.8);
    }

    private static int caseFlips(String v) {
        int flips = 0;
        for (int i = 1; i < v.length(); i++) {
            if (Character.isUpperCase(v.charAt(i)) != Character.isUpperCase(v.charAt(i - 1))) {
                flips++;
            }
        }
        return flips;
    }

    /** A file system path: base64 may start with '/' too, but has no dots and carries + or =. */
    private static boolean looksLikePath(String v) {
        if (!(v.startsWith("/") || v.startsWith("./") || v.startsWith("~/") || v.startsWith("../"))) {
            return false;
        }
        int slashes = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/') {
                slashes++;
            } else if (!isAlnum(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return slashes >= 2 || v.indexOf('.') >= 0;
    }

    private static final String[] FILE_EXTENSIONS = {
        ".pem", ".key", ".json", ".yaml", ".yml", ".txt", ".crt", ".p12", ".jks", ".properties",
        ".env", ".cfg", ".conf", ".ini", ".java", ".html"};

    private static boolean hasFileExtension(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        for (String ext : FILE_EXTENSIONS) {
            if (lower.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** A JWT (RFC 7519) header is base64url JSON naming its algorithm. */
    static boolean jwtHeader(String token) {
        int dot = token.indexOf('.');
        if (dot < 0) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(stripPadding(token.substring(0, dot))),
                    java.nio.charset.StandardCharsets.UTF_8);
            return header.contains("\"alg\"") || header.contains("\"typ\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
