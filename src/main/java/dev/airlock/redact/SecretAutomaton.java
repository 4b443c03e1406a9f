package dev.airlock.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho-Corasick over the encoded forms of known secret values, exact and case-sensitive. Edges are
 * kept sparse (most states have one child) with a dense root, so memory stays proportional to the
 * total length of the values. Besides matches it answers "how much of a value could the text end
 * with", which is what lets the stream redactor cut output without splitting a secret.
 */
final class SecretAutomaton {
    interface Sink {
        /** {@code base64} marks a base64 core whose partial neighbour chars should be hidden too. */
        void match(int start, int end, boolean base64);
    }

    private final int[] root = new int[65536];
    private final char[][] edgeChars;
    private final int[][] edgeTargets;
    private final int[] fail;
    private final int[] depth;
    /** Length of the longest pattern ending in this state (directly or through failure links), else 0. */
    private final int[] outLength;
    private final boolean[] outBase64;
    final int maxLength;
    /**
     * The same automaton as a dense DFA over the alphabet of the patterns, when that fits in
     * {@link #MAX_DENSE} entries: one array load per char instead of a search per state. Values from
     * the vault are short and few, so this is the normal case; the sparse form stays as a fallback.
     */
    private static final int MAX_DENSE = 1 << 22;
    private final char @org.jspecify.annotations.Nullable [] classOf;
    private final int @org.jspecify.annotations.Nullable [] dense;
    private final int classes;

    SecretAutomaton(List<char[]> patterns, List<Boolean> base64) {
        List<Map<Character, Integer>> trie = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        List<Integer> outs = new ArrayList<>();
        List<Boolean> b64 = new ArrayList<>();
        b64.add(false);
        trie.add(new HashMap<>());
        depths.add(0);
        outs.add(0);
        int max = 0;
        for (int pi = 0; pi < patterns.size(); pi++) {
            char[] p = patterns.get(pi);
            int s = 0;
            for (char c : p) {
                Integer next = trie.get(s).get(c);
                if (next == null) {
                    next = trie.size();
                    trie.get(s).put(c, next);
                    trie.add(new HashMap<>());
                    depths.add(depths.get(s) + 1);
                    outs.add(0);
                    b64.add(false);
                }
                s = next;
            }
            if (p.length >= outs.get(s)) {
                outs.set(s, p.length);
                b64.set(s, base64.get(pi));
            }
            max = Math.max(max, p.length);
        }
        maxLength = max;
        int n = trie.size();
        edgeChars = new char[n][];
        edgeTargets = new int[n][];
        fail = new int[n];
        depth = new int[n];
        outLength = new int[n];
        outBase64 = new boolean[n];
        for (int s = 0; s < n; s++) {
            Character[] keys = trie.get(s).keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            edgeChars[s] = new char[keys.length];
            edgeTargets[s] = new int[keys.length];
            for (int k = 0; k < keys.length; k++) {
                edgeChars[s][k] = keys[k];
                edgeTargets[s][k] = trie.get(s).get(keys[k]);
            }
            depth[s] = depths.get(s);
            outLength[s] = outs.get(s);
            outBase64[s] = b64.get(s);
        }
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int k = 0; k < edgeChars[0].length; k++) {
            int t = edgeTargets[0][k];
            root[edgeChars[0][k]] = t;
            fail[t] = 0;
            queue.add(t);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            if (outLength[fail[s]] > outLength[s]) {
                outLength[s] = outLength[fail[s]];
                outBase64[s] = outBase64[fail[s]];
            }
            for (int k = 0; k < edgeChars[s].length; k++) {
                char c = edgeChars[s][k];
                int t = edgeTargets[s][k];
                fail[t] = step(fail[s], c);
                queue.add(t);
            }
        }
        char[] map = new char[65536];
        int k = buildClasses(edgeChars, map);
        if ((long) n * k <= MAX_DENSE) {
            int[] d = new int[n * k];
            // Fill in BFS order so each state's failure target is complete before it is read.
            ArrayDeque<Integer> order = new ArrayDeque<>();
            order.add(0);
            boolean[] seen = new boolean[n];
            seen[0] = true;
            char[] repr = new char[k];
            for (int c = 0; c < 65536; c++) {
                if (map[c] != 0) {
                    repr[map[c]] = (char) c;
                }
            }
            while (!order.isEmpty()) {
                int s = order.poll();
                for (int cls = 1; cls < k; cls++) {
                    char c = repr[cls];
                    int idx = s == 0 ? -1 : indexOf(edgeChars[s], c);
                    int t;
                    if (s == 0) {
                        t = root[c];
                    } else if (idx >= 0) {
                        t = edgeTargets[s][idx];
                    } else {
                        t = d[fail[s] * k + cls];
                    }
                    d[s * k + cls] = t;
                }
                for (int t : edgeTargets[s]) {
                    if (!seen[t]) {
                        seen[t] = true;
                        order.add(t);
                    }
                }
            }
            classOf = map;
            dense = d;
            classes = k;
        } else {
            classOf = null;
            dense = null;
            classes = 0;
        }
    }

    private static int indexOf(char[] cs, char c) {
        return cs.length == 1 ? (cs[0] == c ? 0 : -1) : Arrays.binarySearch(cs, c);
    }

    private static int buildClasses(char[][] edgeChars, char[] classOf) {
        int next = 1;
        for (char[] cs : edgeChars) {
            for (char c : cs) {
                if (classOf[c] == 0) {
                    classOf[c] = (char) next++;
                }
            }
        }
        return next;
    }

    private int step(int state, char c) {
        int s = state;
        while (true) {
            if (s == 0) {
                return root[c];
            }
            char[] cs = edgeChars[s];
            int k = cs.length == 1 ? (cs[0] == c ? 0 : -1) : Arrays.binarySearch(cs, c);
            if (k >= 0) {
                return edgeTargets[s][k];
            }
            s = fail[s];
        }
    }

    /**
     * Reports every occurrence and returns the automaton depth after {@code probe} chars: the length
     * of the longest suffix of {@code text[0, probe)} that is a prefix of some pattern.
     */
    int scan(char[] text, int probe, Sink sink) {
        int s = 0;
        int probed = probe == 0 ? 0 : -1;
        char[] map = classOf;
        int[] d = dense;
        int k = classes;
        for (int i = 0; i < text.length; i++) {
            char c = text[i];
            if (d != null && map != null) {
                int cls = map[c];
                s = cls == 0 ? 0 : d[s * k + cls];
            } else {
                s = step(s, c);
            }
            int len = outLength[s];
            if (len > 0) {
                sink.match(i + 1 - len, i + 1, outBase64[s]);
            }
            if (i + 1 == probe) {
                probed = depth[s];
            }
        }
        return Math.max(probed, 0);
    }

    /** Overwrites every stored char so the values do not linger in the heap until collected. */
    void wipe() {
        Arrays.fill(root, 0);
        if (dense != null && classOf != null) {
            Arrays.fill(dense, 0);
            Arrays.fill(classOf, '\0');
        }
        for (char[] cs : edgeChars) {
            Arrays.fill(cs, '\0');
        }
    }
}
