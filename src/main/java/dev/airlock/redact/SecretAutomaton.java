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
    int scan(CharSequence text, int probe, Sink sink) {
        int s = 0;
        int probed = probe == 0 ? 0 : -1;
        for (int i = 0, n = text.length(); i < n; i++) {
            s = step(s, text.charAt(i));
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
        for (char[] cs : edgeChars) {
            Arrays.fill(cs, '\0');
        }
    }
}
