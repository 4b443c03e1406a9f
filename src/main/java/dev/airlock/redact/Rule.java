package dev.airlock.redact;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * A pattern detector: keywords for the prefilter, an RE2/J pattern run only in a window around each
 * keyword hit, and a validator. Boundaries are checked here against the full text rather than with
 * {@code \b} in the pattern, because the pattern only sees the window and would take the window's
 * edge for a word boundary.
 */
final class Rule {
    @FunctionalInterface
    interface Check {
        /** {@code value} is the text that would be redacted; the rest is context. */
        boolean test(CharSequence text, int matchStart, int valueStart, int valueEnd, String value);
    }

    /** Which capture group holds the value: the first non-null group, or the whole match. */
    static final int FIRST_GROUP = -1;

    final String type;
    final List<String> keywords;
    final boolean caseSensitive;
    final Pattern pattern;
    final int group;
    final int before;
    final int maxLength;
    final boolean leftBoundary;
    final boolean rightBoundary;
    final Check check;
    final int rank;

    Rule(String type, List<String> keywords, boolean caseSensitive, String regex, int group, int before,
            int maxLength, boolean leftBoundary, boolean rightBoundary, Check check, int rank) {
        this.type = type;
        this.keywords = keywords;
        this.caseSensitive = caseSensitive;
        this.pattern = Pattern.compile(regex);
        this.group = group;
        this.before = before;
        this.maxLength = maxLength;
        this.leftBoundary = leftBoundary;
        this.rightBoundary = rightBoundary;
        this.check = check;
        this.rank = rank;
    }

    /** Runs the pattern over {@code text[from, to)} and reports validated values. */
    void run(String text, int from, int to, Detectors.SpanSink sink) {
        String window = from == 0 && to == text.length() ? text : text.substring(from, to);
        Matcher m = pattern.matcher(window);
        int pos = 0;
        while (pos <= window.length() && m.find(pos)) {
            int gs;
            int ge;
            if (group == FIRST_GROUP) {
                int g = 1;
                while (g <= m.groupCount() && m.start(g) < 0) {
                    g++;
                }
                if (g > m.groupCount()) {
                    gs = m.start();
                    ge = m.end();
                } else {
                    gs = m.start(g);
                    ge = m.end(g);
                }
            } else {
                gs = m.start(group);
                ge = m.end(group);
            }
            int ms = from + m.start();
            int vs = from + gs;
            int ve = from + ge;
            if (gs >= 0 && ve > vs
                    && (!leftBoundary || vs == 0 || !Checks.isAlnum(text.charAt(vs - 1)))
                    && (!rightBoundary || ve == text.length() || !Checks.isAlnum(text.charAt(ve)))) {
                String value = text.substring(vs, ve);
                if (check.test(text, ms, vs, ve, value)) {
                    sink.span(vs, ve, type, rank, value);
                }
            }
            // Non-overlapping like every scanner in this family; an empty match still advances.
            pos = Math.max(m.end(), m.start() + 1);
        }
    }
}
