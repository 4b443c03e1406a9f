package dev.airlock.redact;

import java.util.Arrays;
import java.util.List;

/**
 * Finds pieces of known secret values: every run of text that is a substring of one of the indexed
 * forms and at least as long as that form's threshold. It is a generalized suffix automaton (Blumer
 * et al., "The smallest automaton recognizing the subwords of a text", 1985) over all forms, scanned
 * with the classic matching-statistics walk, so it finds the <em>maximal</em> run around any
 * fragment in one pass, linear in the text, with at most two states per indexed char (an
 * Aho-Corasick automaton over every window would need one state per char of every window).
 *
 * <p>Blanks and tabs are not counted, in the forms or in the text, so a value printed with blanks
 * between its chars ({@code sed 's/./& /g'}) or hex in groups ({@code xxd}, {@code od -tx1},
 * {@code hexdump -C}) still matches. A line break ends a match, except inside a match already long
 * enough to count, which it continues (wrapped hex or base64).
 *
 * <p>Matching is case-insensitive (the class map folds case, so one form covers the value as given,
 * case-swapped, upper- and lower-cased) and treats {@code -}/{@code +} and {@code _}/{@code /} as
 * equal (so one base64 form covers the standard and URL-safe alphabets). Like
 * {@link SecretAutomaton} it compiles to a dense table when that fits in {@link #MAX_DENSE} entries:
 * each entry packs the next state with the match length after the step, so a step is one array
 * load; otherwise it walks sparse edges.
 */
final class FragmentAutomaton {
    interface Sink {
        void match(int start, int end);
    }

    private static final int MAX_DENSE = 1 << 22;
    private static final int STATE_BITS = 20;
    private static final int STATE_MASK = (1 << STATE_BITS) - 1;
    /** Length field meaning "the previous length plus one" (the edge extends the current match). */
    private static final int KEEP = (1 << (32 - STATE_BITS)) - 1;
    /** Longest form indexed; keeps every length below {@link #KEEP}. */
    static final int MAX_FORM = KEEP - 1;
    /** No threshold: the state's strings belong to no form (never happens once built; a guard). */
    private static final int NEVER = Integer.MAX_VALUE;

    /** Gram length of the prefilter: the fragment floor, so every match starts with a whole gram. */
    static final int Q = KnownSecrets.FRAGMENT_FLOOR;
    private static final long GRAM_MASK = (1L << (8 * Q)) - 1;
    private final char[] classOf = new char[65536];
    /** Bit set of the forms' grams, or null when class ids do not fit in a byte (then every char walks). */
    private final long @org.jspecify.annotations.Nullable [] grams;
    private final int gramShift;
    private final int classes;
    /** Shortest threshold among the forms that contain this state's strings. */
    private final int[] threshold;
    private final int minThreshold;
    private final int @org.jspecify.annotations.Nullable [] dense;
    // Sparse form, used when the dense table would be too large.
    private final char[][] edgeClass;
    private final int[][] edgeTarget;
    private final int[] link;
    private final int[] maxLen;

    /**
     * @param forms      the strings to index (already case-folded, see {@link #fold(char)})
     * @param thresholds for each form, the shortest run that counts as a match
     */
    FragmentAutomaton(List<char[]> forms, List<Integer> thresholds) {
        Builder b = new Builder();
        int min = NEVER;
        for (int f = 0; f < forms.size(); f++) {
            char[] form = forms.get(f);
            if (form.length > MAX_FORM) {
                throw new IllegalArgumentException("form longer than " + MAX_FORM);
            }
            int t = thresholds.get(f);
            min = Math.min(min, t);
            int last = 0;
            for (char c : form) {
                if (transparent(c)) {
                    continue; // skipped in the text too
                }
                last = b.extend(last, fold(c));
                b.mark(last, t);
            }
        }
        minThreshold = min;
        int n = b.size;
        link = Arrays.copyOf(b.link, n);
        maxLen = Arrays.copyOf(b.len, n);
        threshold = Arrays.copyOf(b.thr, n);
        // A state's strings occur wherever its suffix-link children's strings occur: pass the
        // smallest threshold up the links, longest states first.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(maxLen[y], maxLen[x]));
        for (int s : order) {
            if (link[s] >= 0) {
                threshold[link[s]] = Math.min(threshold[link[s]], threshold[s]);
            }
        }
        int next = 1;
        for (int s = 0; s < n; s++) {
            for (int e = 0; e < b.count[s]; e++) {
                char c = b.edgeChar[s][e];
                if (classOf[c] == 0) {
                    classOf[c] = (char) next++;
                }
            }
        }
        for (int c = 0; c < 65536; c++) {
            char f = fold((char) c);
            if (f != c && classOf[c] == 0) {
                classOf[c] = classOf[f];
            }
        }
        classes = next;
        edgeClass = new char[n][];
        edgeTarget = new int[n][];
        for (int s = 0; s < n; s++) {
            int cnt = b.count[s];
            long[] packed = new long[cnt];
            for (int e = 0; e < cnt; e++) {
                packed[e] = ((long) classOf[b.edgeChar[s][e]] << 32) | b.edgeTo[s][e];
            }
            Arrays.sort(packed);
            edgeClass[s] = new char[cnt];
            edgeTarget[s] = new int[cnt];
            for (int e = 0; e < cnt; e++) {
                edgeClass[s][e] = (char) (packed[e] >>> 32);
                edgeTarget[s][e] = (int) packed[e];
            }
            Arrays.fill(b.edgeChar[s], '\0');
        }
        if (classes <= 256) {
            int total = 0;
            for (char[] form : forms) {
                total += form.length;
            }
            // About 32 bits per gram: a text gram that is not in any form hits about 3 % of the time.
            int log = Math.max(12, Math.min(28, 64 - Long.numberOfLeadingZeros(Math.max(1, 32L * total))));
            long[] set = new long[(1 << log) >>> 6];
            int shift = 64 - log;
            for (char[] form : forms) {
                long g = 0;
                int counted = 0;
                for (int i = 0; i < form.length; i++) {
                    if (transparent(form[i])) {
                        continue;
                    }
                    g = ((g << 8) | classOf[fold(form[i])]) & GRAM_MASK;
                    if (++counted >= Q) {
                        int h = (int) ((g * 0x9E3779B97F4A7C15L) >>> shift);
                        set[h >>> 6] |= 1L << h;
                    }
                }
            }
            grams = set;
            gramShift = shift;
        } else {
            grams = null;
            gramShift = 0;
        }
        if ((long) n * classes <= MAX_DENSE && n <= STATE_MASK) {
            dense = compileDense(n, order);
        } else {
            dense = null;
        }
    }

    /** Case and base64-alphabet folding applied to both the forms and the scanned text. */
    static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        if (c == '-') {
            return '+';
        }
        if (c == '_') {
            return '/';
        }
        if (c < 128) {
            return c;
        }
        char l = Character.toLowerCase(c);
        return Character.isSurrogate(l) ? c : l;
    }

    private int[] compileDense(int n, Integer[] byLongestFirst) {
        int k = classes;
        int[] d = new int[n * k];
        // Shortest states first, so a state's suffix link is complete before the state reads it.
        for (int i = n - 1; i >= 0; i--) {
            int s = byLongestFirst[i];
            int row = s * k;
            int parentRow = link[s] < 0 ? -1 : link[s] * k;
            int parentLen = link[s] < 0 ? 0 : maxLen[link[s]];
            char[] cs = edgeClass[s];
            for (int cls = 1; cls < k; cls++) {
                int idx = indexOf(cs, (char) cls);
                if (idx >= 0) {
                    d[row + cls] = edgeTarget[s][idx] | (KEEP << STATE_BITS);
                } else if (parentRow < 0) {
                    d[row + cls] = 0; // back to the root, length 0
                } else {
                    int p = d[parentRow + cls];
                    // The parent's own edge extends a match of the parent's longest length.
                    d[row + cls] = (p >>> STATE_BITS) == KEEP ? (p & STATE_MASK) | ((parentLen + 1) << STATE_BITS) : p;
                }
            }
        }
        return d;
    }

    private static int indexOf(char[] cs, char c) {
        return cs.length == 1 ? (cs[0] == c ? 0 : -1) : Arrays.binarySearch(cs, c);
    }

    /**
     * Reports each maximal run of matched text and returns how many chars before {@code probe} could
     * be the start of a fragment continuing after it (never fewer than needed, at times a few more).
     *
     * <p>Most text shares no {@value #Q}-char piece with any form, so the scan first looks each
     * {@value #Q}-gram up in a bit set of the forms' grams (a hash of the packed class ids, about 3 %
     * of the bits set), which stays in cache however large the automaton is; only where a gram hits
     * does it walk the automaton, from that gram on, until the match is again shorter than a gram.
     * Every threshold is at least {@value #Q}, so a run long enough to count always starts with a
     * gram that hits.
     */
    int scan(char[] text, int probe, Sink out) {
        long[] bits = grams;
        int[] ring = new int[RING];
        if (bits == null) {
            return walk(text, 0, text.length, probe, out, true, ring)[2];
        }
        // Walks report in order but may cut one run in two where one walk ends and the next begins;
        // joining touching runs makes the result the same as one walk over the whole text.
        int[] pending = {-1, -1};
        Sink sink = (s, e) -> {
            if (pending[1] >= 0 && s <= pending[1]) {
                pending[0] = Math.min(pending[0], s);
                pending[1] = Math.max(pending[1], e);
            } else {
                if (pending[1] >= 0) {
                    out.match(pending[0], pending[1]);
                }
                pending[0] = s;
                pending[1] = e;
            }
        };
        char[] map = classOf;
        int n = text.length;
        int shift = gramShift;
        long g = 0;
        int valid = 0;
        int[] recent = new int[8];
        int probed = 0;
        int i = 0;
        while (i < n) {
            char c = text[i];
            int cls = map[c];
            if (cls == 0) {
                // Blanks never have a class (they are dropped from the forms): skipped, not a break.
                if (!transparent(c)) {
                    valid = 0;
                }
                i++;
                continue;
            }
            g = ((g << 8) | cls) & GRAM_MASK;
            valid++;
            recent[valid & 7] = i;
            if (valid >= Q) {
                int h = (int) ((g * 0x9E3779B97F4A7C15L) >>> shift);
                if ((bits[h >>> 6] & (1L << h)) != 0) {
                    int from = recent[(valid - Q + 1) & 7];
                    int[] w = walk(text, from, n, probe, sink, false, ring);
                    if (probe > from && probe <= w[0] + 1) {
                        probed = Math.max(probed, w[2]);
                    }
                    // Resume the filter with the first gram the walk did not settle: it ends at the
                    // next counted char after the walk stopped; its start lies past the walk's start.
                    i = w[1];
                    valid = 0;
                    g = 0;
                    continue;
                }
            }
            i++;
        }
        if (pending[1] >= 0) {
            out.match(pending[0], pending[1]);
        }
        // Outside a walk, a piece crossing the probe has fewer than Q counted chars before it.
        int tail = 0;
        int counted = 0;
        for (int j = probe - 1; j >= 0 && counted < Q - 1; j--) {
            if (!transparent(text[j])) {
                if (map[text[j]] == 0) {
                    break;
                }
                counted++;
            }
            tail = probe - j;
        }
        return Math.max(probed, tail);
    }

    /** {@link #scan} without the gram prefilter: the reference the prefilter must agree with, for tests. */
    int scanUnfiltered(char[] text, int probe, Sink sink) {
        return walk(text, 0, text.length, probe, sink, true, new int[RING])[2];
    }

    /** Blanks and tabs are skipped, so a value spaced out char by char or hex in groups still matches. */
    static boolean transparent(char c) {
        return c == ' ' || c == '\t';
    }

    /** Ring of the positions of the last counted chars; longer than any match. */
    private static final int RING = 4096;

    /**
     * Walks the automaton from {@code from} (starting at the root), reporting runs, until the end or,
     * unless {@code toEnd}, until the match length falls under {@value #Q} after the first gram.
     * Returns {position where it stopped, where the prefilter should resume, chars before the probe
     * that the match at the probe covers (0 if not reached)}.
     */
    private int[] walk(char[] text, int from, int to, int probe, Sink sink, boolean toEnd, int[] ring) {
        int s = 0;
        int len = 0;
        int count = 0;
        int probed = 0;
        int runStart = -1;
        int runEnd = -1;
        int min = minThreshold;
        int[] d = dense;
        char[] map = classOf;
        int k = classes;
        int[] thr = threshold;
        int i = from;
        for (; i < to; i++) {
            char c = text[i];
            int cls = map[c];
            // A line break inside a match long enough to count does not end it: encoders wrap
            // their output (xxd -p at 60 digits, base64 at 76), leaving a short last line.
            if (cls == 0 && (transparent(c) || ((c == '\n' || c == '\r') && len >= min && len >= thr[s]))) {
                if (i + 1 == probe) {
                    probed = len == 0 ? 0 : probe - ring[(count - len + 1) & (RING - 1)];
                }
                continue;
            }
            if (d != null) {
                int e = d[s * k + cls];
                s = e & STATE_MASK;
                int l = e >>> STATE_BITS;
                len = l == KEEP ? len + 1 : l;
            } else if (cls == 0) {
                s = 0;
                len = 0;
            } else {
                while (true) {
                    int idx = indexOf(edgeClass[s], (char) cls);
                    if (idx >= 0) {
                        s = edgeTarget[s][idx];
                        len++;
                        break;
                    }
                    if (link[s] < 0) {
                        s = 0;
                        len = 0;
                        break;
                    }
                    s = link[s];
                    len = maxLen[s];
                }
            }
            count++;
            ring[count & (RING - 1)] = i;
            if (len >= min && len >= thr[s]) {
                int start = ring[(count - len + 1) & (RING - 1)];
                if (runEnd >= 0 && start <= runEnd) {
                    runStart = Math.min(runStart, start);
                } else {
                    if (runEnd >= 0) {
                        sink.match(runStart, runEnd);
                    }
                    runStart = start;
                }
                runEnd = i + 1;
            }
            if (i + 1 == probe) {
                probed = len == 0 ? 0 : probe - ring[(count - len + 1) & (RING - 1)];
            }
            if (!toEnd && len < Q && count >= Q) {
                break;
            }
        }
        if (runEnd >= 0) {
            sink.match(runStart, runEnd);
        }
        int resume = i >= to ? to : ring[(count - (Q - 2)) & (RING - 1)];
        return new int[] {i, resume, probed};
    }

    /** Overwrites the structure that spells the values out. */
    void wipe() {
        Arrays.fill(classOf, '\0');
        if (grams != null) {
            Arrays.fill(grams, 0L);
        }
        if (dense != null) {
            Arrays.fill(dense, 0);
        }
        for (char[] cs : edgeClass) {
            Arrays.fill(cs, '\0');
        }
        for (int[] ts : edgeTarget) {
            Arrays.fill(ts, 0);
        }
    }

    /** Online construction of the generalized suffix automaton (one form after the other). */
    private static final class Builder {
        int size;
        int[] len = new int[64];
        int[] link = new int[64];
        int[] thr = new int[64];
        int[] count = new int[64];
        char[][] edgeChar = new char[64][];
        int[][] edgeTo = new int[64][];

        Builder() {
            newState(0, -1);
        }

        int newState(int length, int suffixLink) {
            if (size == len.length) {
                int cap = size * 2;
                len = Arrays.copyOf(len, cap);
                link = Arrays.copyOf(link, cap);
                thr = Arrays.copyOf(thr, cap);
                count = Arrays.copyOf(count, cap);
                edgeChar = Arrays.copyOf(edgeChar, cap);
                edgeTo = Arrays.copyOf(edgeTo, cap);
            }
            int s = size++;
            len[s] = length;
            link[s] = suffixLink;
            thr[s] = NEVER;
            count[s] = 0;
            edgeChar[s] = new char[2];
            edgeTo[s] = new int[2];
            return s;
        }

        void mark(int s, int t) {
            thr[s] = Math.min(thr[s], t);
        }

        int get(int s, char c) {
            char[] cs = edgeChar[s];
            for (int e = 0; e < count[s]; e++) {
                if (cs[e] == c) {
                    return edgeTo[s][e];
                }
            }
            return -1;
        }

        void set(int s, char c, int t) {
            char[] cs = edgeChar[s];
            for (int e = 0; e < count[s]; e++) {
                if (cs[e] == c) {
                    edgeTo[s][e] = t;
                    return;
                }
            }
            if (count[s] == cs.length) {
                edgeChar[s] = Arrays.copyOf(cs, cs.length * 2);
                edgeTo[s] = Arrays.copyOf(edgeTo[s], cs.length * 2);
            }
            edgeChar[s][count[s]] = c;
            edgeTo[s][count[s]] = t;
            count[s]++;
        }

        int cloneOf(int q, int length) {
            int clone = newState(length, link[q]);
            edgeChar[clone] = edgeChar[q].clone();
            edgeTo[clone] = edgeTo[q].clone();
            count[clone] = count[q];
            return clone;
        }

        /** Appends {@code c} after the state {@code last}; returns the state of the longer prefix. */
        int extend(int last, char c) {
            int q = get(last, c);
            if (q >= 0) {
                if (len[last] + 1 == len[q]) {
                    return q;
                }
                int clone = cloneOf(q, len[last] + 1);
                link[q] = clone;
                for (int p = last; p >= 0 && get(p, c) == q; p = link[p]) {
                    set(p, c, clone);
                }
                return clone;
            }
            int cur = newState(len[last] + 1, 0);
            int p = last;
            while (p >= 0 && get(p, c) < 0) {
                set(p, c, cur);
                p = link[p];
            }
            if (p >= 0) {
                q = get(p, c);
                if (len[p] + 1 == len[q]) {
                    link[cur] = q;
                } else {
                    int clone = cloneOf(q, len[p] + 1);
                    for (; p >= 0 && get(p, c) == q; p = link[p]) {
                        set(p, c, clone);
                    }
                    link[q] = clone;
                    link[cur] = clone;
                }
            }
            return cur;
        }
    }

    /** Whether the one-load-per-char table is in use (else the sparse walk). */
    boolean isDense() {
        return dense != null;
    }

    /** How many states, for tests of the size bound. */
    int states() {
        return link.length;
    }
}
