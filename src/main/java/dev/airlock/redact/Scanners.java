package dev.airlock.redact;

/**
 * Hand-written linear scanners for shapes a keyword cannot announce: private key blocks, card
 * numbers, IP addresses and IBANs. Each looks at a char at most a bounded number of times.
 */
final class Scanners {
    private Scanners() {}

    static final int RANK_KEY_BLOCK = 5;
    static final int RANK_PII = 40;
    /** A key block longer than this is hidden to the end anyway; no real PEM key is this long. */
    static final int MAX_KEY_BLOCK = 1 << 20;

    /**
     * RFC 7468 (PEM), OpenSSH (PROTOCOL.key) and RFC 4880 armored private key blocks. A block whose
     * END line is missing (a truncated paste) is hidden to the end of the text: its body is still
     * key material.
     */
    static void privateKeys(String text, int begin, Detectors.SpanSink sink) {
        // begin is the offset of "-----BEGIN"; the label runs to the next "-----".
        int labelStart = begin + 11;
        int labelEnd = text.indexOf("-----", labelStart);
        if (labelEnd < 0 || labelEnd - labelStart > 64) {
            return;
        }
        String label = text.substring(labelStart, labelEnd);
        if (!label.endsWith("PRIVATE KEY") && !label.endsWith("PRIVATE KEY BLOCK")) {
            return;
        }
        String type = label.contains("PGP") ? "pgp-private-key" : "private-key";
        int limit = (int) Math.min(text.length(), (long) begin + MAX_KEY_BLOCK);
        int endMarker = text.indexOf("-----END", labelEnd + 5);
        int end;
        if (endMarker < 0 || endMarker >= limit) {
            end = limit;
        } else {
            int close = text.indexOf("-----", endMarker + 8);
            end = close < 0 || close - endMarker > 80 ? limit : close + 5;
        }
        sink.span(begin, end, type, RANK_KEY_BLOCK, null);
    }

    /** Payment card numbers: 13–19 digits, optionally grouped by spaces or dashes, IIN and Luhn checked. */
    static void cards(String text, char[] cs, Detectors.SpanSink sink) {
        int n = cs.length;
        StringBuilder digits = new StringBuilder(32);
        int i = 0;
        while (i < n) {
            // A card needs 13 digits: skip quickly over text without a digit.
            while (i < n && (cs[i] < '0' || cs[i] > '9')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean leftOk = start == 0 || !(Checks.isAlnum(text.charAt(start - 1)) || text.charAt(start - 1) == '.');
            digits.setLength(0);
            char sep = 0;
            boolean consistent = true;
            int groupLen = 0;
            int groups = 0;
            boolean groupsOk = true;
            int j = i;
            int end = i;
            while (j < n) {
                char d = text.charAt(j);
                if (d >= '0' && d <= '9') {
                    digits.append(d);
                    groupLen++;
                    j++;
                    end = j;
                } else if ((d == ' ' || d == '-') && j + 1 < n && Checks.isDigit(text.charAt(j + 1)) && groupLen > 0) {
                    if (sep == 0) {
                        sep = d;
                    } else if (sep != d) {
                        consistent = false;
                    }
                    groupsOk &= groups == 0 ? groupLen == 4 : groupLen >= 3 && groupLen <= 6;
                    groups++;
                    groupLen = 0;
                    j++;
                } else {
                    break;
                }
                if (digits.length() > 19) {
                    break;
                }
            }
            // Skip the rest of this digit run so its tail is not rescanned as a new candidate.
            while (end < n && Checks.isDigit(text.charAt(end))) {
                end++;
                digits.append('x');
            }
            int len = digits.length();
            boolean rightOk = end == n || !(Checks.isAlnum(text.charAt(end))
                    || (text.charAt(end) == '.' && end + 1 < n && Checks.isDigit(text.charAt(end + 1))));
            if (groups > 0) {
                groupsOk &= groupLen >= 1 && groupLen <= 6;
            }
            if (leftOk && rightOk && consistent && groupsOk && len >= 13 && len <= 19) {
                String ds = digits.toString();
                if (ds.indexOf('x') < 0 && Checks.cardPrefix(ds) && Checks.luhn(ds)) {
                    sink.span(start, end, "credit-card", RANK_PII, null);
                }
            }
            i = Math.max(end, i + 1);
        }
    }

    /** Dotted-quad IPv4 addresses (RFC 791 text form). */
    static void ipv4(String text, Detectors.SpanSink sink) {
        int n = text.length();
        int done = 0;
        // Every address has a dot after its first octet: jump from dot to dot (a fast intrinsic)
        // and look back at most three digits, instead of testing every char.
        for (int dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
            int i = dot;
            while (i > 0 && dot - i < 3 && Checks.isDigit(text.charAt(i - 1))) {
                i--;
            }
            if (i == dot || i < done || (i > 0 && (Checks.isAlnum(text.charAt(i - 1)) || text.charAt(i - 1) == '.'))) {
                continue;
            }
            int j = i;
            int octets = 0;
            boolean ok = true;
            while (octets < 4) {
                int v = 0;
                int k = 0;
                while (j < n && Checks.isDigit(text.charAt(j)) && k < 4) {
                    v = v * 10 + (text.charAt(j) - '0');
                    j++;
                    k++;
                }
                if (k == 0 || k > 3 || v > 255) {
                    ok = false;
                    break;
                }
                octets++;
                if (octets < 4) {
                    if (j < n && text.charAt(j) == '.') {
                        j++;
                    } else {
                        ok = false;
                        break;
                    }
                }
            }
            if (ok && (j == n || !(Checks.isAlnum(text.charAt(j))
                    || (text.charAt(j) == '.' && j + 1 < n && Checks.isDigit(text.charAt(j + 1)))))) {
                sink.span(i, j, "ip-address", RANK_PII, null);
                done = j;
                dot = j - 1;
            }
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** IPv6 addresses in RFC 4291 section 2.2 text forms, including "::" compression and an IPv4 tail. */
    static void ipv6(String text, Detectors.SpanSink sink) {
        int n = text.length();
        int done = 0;
        // Every address has a colon within its first five chars: jump between colons, walk back to
        // the start of the hex run, and parse forward from there once.
        for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
            if (colon < done) {
                continue;
            }
            int i = colon;
            while (i > 0 && colon - i < 4 && isHex(text.charAt(i - 1))) {
                i--;
            }
            if (i > 0 && (Checks.isAlnum(text.charAt(i - 1)) || text.charAt(i - 1) == ':' || text.charAt(i - 1) == '.')) {
                continue;
            }
            int j = i;
            int colons = 0;
            while (j < n && j - i <= 45 && (isHex(text.charAt(j)) || text.charAt(j) == ':' || text.charAt(j) == '.')) {
                if (text.charAt(j) == ':') {
                    colons++;
                }
                j++;
            }
            done = j;
            if (colons >= 2 && j - i <= 45 && (j == n || !Checks.isAlnum(text.charAt(j)))) {
                int end = j;
                while (end > i && text.charAt(end - 1) == '.') {
                    end--; // sentence punctuation after the address
                }
                if (validIpv6(text.substring(i, end))) {
                    sink.span(i, end, "ip-address", RANK_PII, null);
                }
            }
        }
    }

    static boolean validIpv6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        if (s.length() < 3 || s.chars().noneMatch(c -> c >= '0' && c <= '9')) {
            return false; // "::", "a::b", "dead::beef": too ambiguous in prose and code to call an address
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int groups = 0;
        boolean sawV4 = false;
        for (String part : new String[] {head, tail}) {
            if (part.isEmpty()) {
                continue;
            }
            String[] fields = part.split(":", -1);
            for (int k = 0; k < fields.length; k++) {
                String f = fields[k];
                if (f.indexOf('.') >= 0) {
                    if (part != (tail.isEmpty() ? head : tail) || k != fields.length - 1 || !validV4(f)) {
                        return false;
                    }
                    groups += 2;
                    sawV4 = true;
                } else {
                    if (f.isEmpty() || f.length() > 4) {
                        return false;
                    }
                    for (int q = 0; q < f.length(); q++) {
                        if (!isHex(f.charAt(q))) {
                            return false;
                        }
                    }
                    groups++;
                }
            }
        }
        if (dbl >= 0) {
            return groups <= 7 && (groups >= 1 || sawV4);
        }
        return groups == 8;
    }

    private static boolean validV4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return false;
        }
        for (String q : p) {
            if (q.isEmpty() || q.length() > 3) {
                return false;
            }
            for (int k = 0; k < q.length(); k++) {
                if (!Checks.isDigit(q.charAt(k))) {
                    return false;
                }
            }
            if (Integer.parseInt(q) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IBANs (ISO 13616), compact or printed in groups of four, length per country and mod-97 checked. */
    static void ibans(String text, char[] cs, Detectors.SpanSink sink) {
        int n = cs.length;
        for (int i = 0; i + 15 <= n; i++) {
            char a = cs[i];
            if (a < 'A' || a > 'Z') {
                continue;
            }
            char b = cs[i + 1];
            if (b < 'A' || b > 'Z' || !Checks.isDigit(text.charAt(i + 2)) || !Checks.isDigit(text.charAt(i + 3))
                    || (i > 0 && Checks.isAlnum(text.charAt(i - 1)))) {
                continue;
            }
            int len = Checks.ibanLength(a, b);
            if (len < 0) {
                continue;
            }
            StringBuilder compact = new StringBuilder(len);
            int j = i;
            while (j < n && compact.length() < len) {
                char c = text.charAt(j);
                if (Checks.isDigit(c) || (c >= 'A' && c <= 'Z')) {
                    compact.append(c);
                    j++;
                } else if (c == ' ' && compact.length() % 4 == 0 && j + 1 < n && Checks.isAlnum(text.charAt(j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            if (compact.length() == len && (j == n || !Checks.isAlnum(text.charAt(j))) && Checks.ibanMod97(compact)) {
                sink.span(i, j, "iban", RANK_PII, null);
                i = j - 1;
            }
        }
    }
}
