package dev.airlock.redact;

/**
 * The {@code password = "..."} detector, hand-written because it is the hottest rule (its keywords
 * are everywhere in code) and its grammar is tiny: keyword, optional suffix, optional closing quote
 * of the key, an assignment operator, then a quoted or bare value. Reads each char once.
 */
final class GenericAssignment {
    static final String TYPE = "generic-secret";
    static final int RANK = 30;
    static final int MAX_VALUE = 200;

    private static final String[] SUFFIXES = {"_value", "value", "_key", "-key", "key", "s"};
    private static final String BARE_STOP = "\"'`,;(){}[]<>";

    private GenericAssignment() {}

    /** @return the end of the assignment it examined, or -1 if none starts at this keyword */
    static int match(String text, int keywordStart, int keywordLength, Detectors.SpanSink sink) {
        int n = text.length();
        int p = keywordStart + keywordLength;
        for (String s : SUFFIXES) {
            if (text.regionMatches(true, p, s, 0, s.length())) {
                p += s.length();
                break;
            }
        }
        if (p < n && (text.charAt(p) == '"' || text.charAt(p) == '\'')) {
            p++;
        }
        int beforeBlanks = p;
        p = skipBlanks(text, p);
        if (p >= n) {
            return -1;
        }
        char op = text.charAt(p);
        if (p > beforeBlanks && isCliFlag(text, keywordStart) && op != '=' && op != ':') {
            // "--password VALUE": a command-line flag takes its value after a blank.
        } else if (p > beforeBlanks && text.startsWith("to ", p)) {
            // Chat and shell transcripts: "set the api_key to VALUE".
            p = skipBlanks(text, p + 3);
            if (p >= n) {
                return -1;
            }
        } else if (op == ':' && p + 1 < n && text.charAt(p + 1) == '=') {
            p += 2;
        } else if (op == '=' && p + 1 < n && text.charAt(p + 1) == '>') {
            p += 2;
        } else if (op == '=' || op == ':') {
            p++;
            if (p < n && (text.charAt(p) == '=' || text.charAt(p) == ':' || text.charAt(p) == '~')) {
                return -1; // comparison (==), scope (::) or match (=~), not an assignment
            }
        } else {
            return -1;
        }
        p = skipBlanks(text, p);
        if (p >= n) {
            return -1;
        }
        int vs;
        int ve;
        int end;
        char q = text.charAt(p);
        boolean quoted = q == '"' || q == '\'';
        if (quoted) {
            vs = p + 1;
            int i = vs;
            int limit = Math.min(n, vs + MAX_VALUE + 1);
            while (i < limit) {
                char c = text.charAt(i);
                if (c == q || c == '\\' || c == '\n' || c == '\r') {
                    break;
                }
                i++;
            }
            if (i >= limit || text.charAt(i) != q) {
                return i;
            }
            ve = i;
            end = i + 1;
        } else {
            vs = p;
            int i = p;
            int limit = Math.min(n, p + MAX_VALUE + 1);
            while (i < limit) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || BARE_STOP.indexOf(c) >= 0) {
                    break;
                }
                i++;
            }
            ve = i;
            end = i;
        }
        if (ve <= vs || inUrlUserinfo(text, keywordStart)) {
            return end;
        }
        String value = text.substring(vs, ve);
        // A bare value ended by ; , ( or ) sits in a code statement, where it is usually an identifier.
        boolean code = !quoted && ve < n && ";,()".indexOf(text.charAt(ve)) >= 0;
        if (Checks.plausibleSecret(value, quoted, code)) {
            sink.span(vs, ve, TYPE, RANK, value);
        }
        return end;
    }

    private static int skipBlanks(String text, int p) {
        while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static boolean isCliFlag(String t, int keywordStart) {
        int k = keywordStart;
        while (k > 0 && keywordStart - k < 64 && (Checks.isAlnum(t.charAt(k - 1)) || t.charAt(k - 1) == '_'
                || (t.charAt(k - 1) == '-' && k >= 2 && t.charAt(k - 2) != '-' && t.charAt(k - 2) != ' '))) {
            k--;
        }
        return k >= 2 && t.charAt(k - 1) == '-' && (t.charAt(k - 2) == '-' || t.charAt(k - 2) == ' ');
    }

    /** {@code https://x-access-token:...@host}: the url-password detector owns userinfo. */
    private static boolean inUrlUserinfo(String t, int keywordStart) {
        int k = keywordStart;
        while (k > 0 && keywordStart - k < 64 && (Checks.isAlnum(t.charAt(k - 1)) || "_.-".indexOf(t.charAt(k - 1)) >= 0)) {
            k--;
        }
        return k >= 3 && t.charAt(k - 1) == '/' && t.charAt(k - 2) == '/' && t.charAt(k - 3) == ':';
    }
}
