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

    /** A cheap test in Java that rules a keyword hit out before RE2/J is asked (its per-call cost dominates). */
    @FunctionalInterface
    interface Precheck {
        boolean mayMatch(String text, int anchor, int keywordStart);
    }

    /** Which capture group holds the value: the first non-null group, or the whole match. */
    static final int FIRST_GROUP = -1;

    final String type;
    final List<String> keywords;
    final boolean caseSensitive;
    final Pattern pattern;
    /**
     * The pattern with a leading {@code ^}: without it RE2/J's anchored {@code lookingAt} still
     * searches the rest of the input for the pattern's literal prefix once every thread has died.
     */
    private final Pattern anchoredPattern;
    final int group;
    final int before;
    final int maxLength;
    final boolean leftBoundary;
    final boolean rightBoundary;
    final Check check;
    final int rank;
    /**
     * Chars the match may start with before its keyword (a URL scheme before "://", an email's local
     * part before "@"), walked back over at most {@link #before} of them; the pattern then runs
     * anchored there. Anchoring is what keeps RE2/J cheap: an unanchored search pays for every char
     * of the window, an anchored one only for the length of the candidate.
     */
    final String back;
    /** How many {@link #back} chars a real match has at least; fewer means no match, without RE2/J. */
    final int minBack;
    final boolean anchored;
    Precheck precheck = (t, a, k) -> true;

    Rule(String type, List<String> keywords, boolean caseSensitive, String regex, int group, int before,
            int maxLength, boolean leftBoundary, boolean rightBoundary, Check check, int rank) {
        this(type, keywords, caseSensitive, regex, group, before, maxLength, leftBoundary, rightBoundary, check, rank,
                "", 0, true);
    }

    Rule(String type, List<String> keywords, boolean caseSensitive, String regex, int group, int before,
            int maxLength, boolean leftBoundary, boolean rightBoundary, Check check, int rank, String back,
            int minBack, boolean anchored) {
        this.back = back;
        this.minBack = minBack;
        this.anchored = anchored;
        this.type = type;
        this.keywords = keywords;
        this.caseSensitive = caseSensitive;
        this.pattern = Pattern.compile(regex);
        this.anchoredPattern = Pattern.compile("^(?:" + regex + ")");
        this.group = group;
        this.before = before;
        this.maxLength = maxLength;
        this.leftBoundary = leftBoundary;
        this.rightBoundary = rightBoundary;
        this.check = check;
        this.rank = rank;
    }

    Rule withPrecheck(Precheck p) {
        this.precheck = p;
        return this;
    }

    /** Where an anchored match for a keyword hit at {@code keywordStart} must begin. */
    int anchor(String text, int keywordStart) {
        int a = keywordStart;
        int limit = Math.max(0, keywordStart - before);
        while (a > limit && back.indexOf(text.charAt(a - 1)) >= 0) {
            a--;
        }
        return a;
    }

    /**
     * Tries one match starting exactly at {@code from} and ending by {@code to}.
     *
     * @return the end of the match (validated or not), or -1 if the pattern does not match there
     */
    int runAnchored(String text, int from, int to, Detectors.SpanSink sink) {
        Matcher m = anchoredPattern.matcher(new Slice(text, from, to));
        if (!m.lookingAt()) {
            return -1;
        }
        report(text, from, m, sink);
        return from + m.end();
    }

    /** Runs the pattern over {@code text[from, to)} and reports validated values. */
    void run(String text, int from, int to, Detectors.SpanSink sink) {
        String window = from == 0 && to == text.length() ? text : text.substring(from, to);
        Matcher m = pattern.matcher(window);
        int pos = 0;
        while (pos <= window.length() && m.find(pos)) {
            report(text, from, m, sink);
            // Non-overlapping like every scanner in this family; an empty match still advances.
            pos = Math.max(m.end(), m.start() + 1);
        }
    }

    private void report(String text, int from, Matcher m, Detectors.SpanSink sink) {
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
    }

    /** A window of the text without copying it. */
    private record Slice(String text, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return text.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Slice(text, from + start, from + end);
        }

        @Override
        public String toString() {
            return text.substring(from, to);
        }
    }
}
