package dev.airlock.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton over ASCII keywords, matched case-insensitively, compiled to a dense
 * 128-column DFA so that the prefilter costs one array load per input char. Keywords are ASCII by
 * construction (provider prefixes, field names), so any non-ASCII char simply returns to the root.
 */
final class KeywordIndex {
    interface Sink {
        /** {@code start} is the offset of the keyword's first char in the scanned text. */
        void hit(int keyword, int start);
    }

    private static final int ALPHABET = 128;

    private final int[] delta;
    private final int[][] outputs;
    private final int[] lengths;

    KeywordIndex(List<String> keywords) {
        lengths = new int[keywords.size()];
        List<int[]> next = new ArrayList<>();
        List<int[]> out = new ArrayList<>();
        next.add(newRow());
        out.add(new int[0]);
        for (int k = 0; k < keywords.size(); k++) {
            String word = keywords.get(k);
            if (word.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            lengths[k] = word.length();
            int state = 0;
            for (int i = 0; i < word.length(); i++) {
                int c = fold(word.charAt(i));
                if (c >= ALPHABET) {
                    throw new IllegalArgumentException("keywords must be ASCII");
                }
                if (next.get(state)[c] < 0) {
                    next.get(state)[c] = next.size();
                    next.add(newRow());
                    out.add(new int[0]);
                }
                state = next.get(state)[c];
            }
            out.set(state, append(out.get(state), k));
        }
        int n = next.size();
        int[] fail = new int[n];
        delta = new int[n * ALPHABET];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int s = next.get(0)[c];
            if (s < 0) {
                delta[c] = 0;
            } else {
                delta[c] = s;
                fail[s] = 0;
                queue.add(s);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            int f = fail[state];
            int[] merged = out.get(state);
            for (int o : out.get(f)) {
                merged = append(merged, o);
            }
            out.set(state, merged);
            for (int c = 0; c < ALPHABET; c++) {
                int s = next.get(state)[c];
                if (s < 0) {
                    delta[state * ALPHABET + c] = delta[f * ALPHABET + c];
                } else {
                    delta[state * ALPHABET + c] = s;
                    fail[s] = delta[f * ALPHABET + c];
                    queue.add(s);
                }
            }
        }
        outputs = new int[n][];
        for (int s = 0; s < n; s++) {
            outputs[s] = out.get(s).length == 0 ? null : out.get(s);
        }
    }

    void scan(char[] text, Sink sink) {
        int[] d = delta;
        int[][] outs = outputs;
        int state = 0;
        for (int i = 0; i < text.length; i++) {
            char c = text[i];
            state = c < ALPHABET ? d[(state << 7) | fold(c)] : 0;
            int[] o = outs[state];
            if (o != null) {
                for (int k : o) {
                    sink.hit(k, i + 1 - lengths[k]);
                }
            }
        }
    }

    private static int fold(char c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static int[] newRow() {
        int[] row = new int[ALPHABET];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] append(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return a;
            }
        }
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
