package dev.airlock.redact;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The secret values the redactor must hide wherever they appear, fed by the vault as it unlocks and
 * emptied when it locks. Each value is matched exactly and in the encodings it is likely to travel
 * in: base64 (standard and URL-safe, padded or not, at any of the three byte alignments so it is
 * found inside a longer blob), lower- and upper-case hex, URL (percent and form) encoding, and JSON
 * string escaping.
 *
 * <p>Each value is also matched in pieces and simple transforms, because a command that may not print
 * a value whole can still print it reversed ({@code rev}), rot13'd ({@code tr}), case-swapped or cut
 * into parts ({@code cut -c1-20}): any run of text that is a substring of the value, of its reverse,
 * of its rot13 or rot47 or of the reverse of those, compared case-insensitively, is redacted whole once it
 * is at least {@link #fragmentThreshold(int)} chars long (12, or half the value for values under 24
 * chars, never under {@value #FRAGMENT_FLOOR}). Pieces of the URL-encoded form count at the same
 * length, of the hex form at twice it and of the base64 forms (both alphabets, every alignment) at
 * four thirds of it, rounded down. The cost is bounded: only the first {@value #FRAGMENT_CHARS} chars
 * (and bytes, for the encoded forms) of each value are indexed for pieces, at most two automaton
 * states per indexed char of each form, so the piece index of any value, 1 MiB or more, stays under
 * about 37,000 states (25,000 when URL encoding leaves it alone), and a 6-gram bit set keeps the per-char cost flat. Pieces from beyond that
 * prefix are found only as part of the whole value. See {@link FragmentAutomaton}.
 *
 * <p>Values go in as bytes or chars and are copied; they are never turned into {@code String}s, never
 * printed, and {@link #clear()} overwrites every copy. One instance is shared by every
 * {@link Redactor} built with it, so swapping the set takes effect everywhere without rebuilding
 * the detectors. Thread-safe.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} bytes are refused by {@link #add(byte[])}: matching
 * them everywhere would redact ordinary words.
 */
public final class KnownSecrets {
    /** Shortest value matched; shorter ones would match ordinary text. */
    public static final int MIN_LENGTH = 6;
    /** A piece of a value shorter than this is never matched on its own (see {@link #fragmentThreshold}). */
    public static final int FRAGMENT_FLOOR = 6;
    /** A piece this long always matches, whatever the value's length. */
    public static final int FRAGMENT_LENGTH = 12;
    /** Chars (and bytes) at the start of each value indexed for pieces; the bound on the index size. */
    public static final int FRAGMENT_CHARS = 1024;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<byte[]> values = new ArrayList<>();
    private @org.jspecify.annotations.Nullable SecretAutomaton automaton;
    private @org.jspecify.annotations.Nullable FragmentAutomaton fragments;

    private KnownSecrets() {}

    /** An empty set. */
    public static KnownSecrets create() {
        return new KnownSecrets();
    }

    /**
     * Adds a value (copied; the caller may wipe its array afterwards).
     *
     * @return false if the value is shorter than {@link #MIN_LENGTH} bytes and was not added
     */
    public boolean add(byte[] value) {
        if (value.length < MIN_LENGTH) {
            return false;
        }
        lock.writeLock().lock();
        try {
            values.add(value.clone());
            rebuild();
        } finally {
            lock.writeLock().unlock();
        }
        return true;
    }

    /** Adds a value given as chars, encoded as UTF-8. */
    public boolean add(char[] value) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        try {
            return add(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Replaces the whole set in one step, e.g. after the vault re-reads its entries; wipes the old one. */
    public void replaceAll(List<byte[]> newValues) {
        lock.writeLock().lock();
        try {
            wipeLocked();
            for (byte[] v : newValues) {
                if (v.length >= MIN_LENGTH) {
                    values.add(v.clone());
                }
            }
            rebuild();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets and overwrites every value; call when the vault locks. */
    public void clear() {
        lock.writeLock().lock();
        try {
            wipeLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** How many values are held. */
    public int size() {
        lock.readLock().lock();
        try {
            return values.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Names the count only. */
    @Override
    public String toString() {
        return "KnownSecrets[" + size() + " values]";
    }

    /**
     * Runs {@code action} with the current automaton (or null when empty) under the read lock, so a
     * concurrent {@link #clear()} cannot wipe it mid-scan.
     */
    <T> T withAutomaton(java.util.function.Function<@org.jspecify.annotations.Nullable SecretAutomaton, T> action) {
        lock.readLock().lock();
        try {
            return action.apply(automaton);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Like {@link #withAutomaton} for both automata, under one read lock so they agree. */
    <T> T withAutomata(java.util.function.BiFunction<@org.jspecify.annotations.Nullable SecretAutomaton,
            @org.jspecify.annotations.Nullable FragmentAutomaton, T> action) {
        lock.readLock().lock();
        try {
            return action.apply(automaton, fragments);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The piece automaton's state count and whether it is dense, for tests; {-1, 0} when empty. */
    int[] fragmentShape() {
        return withAutomata((a, f) -> f == null ? new int[] {-1, 0} : new int[] {f.states(), f.isDense() ? 1 : 0});
    }

    /** The piece runs of {@code text}, filtered and by a full walk, as flat start/end lists; for tests. */
    List<List<Integer>> fragmentRuns(char[] text) {
        return withAutomata((a, f) -> {
            List<Integer> filtered = new ArrayList<>();
            List<Integer> full = new ArrayList<>();
            if (f != null) {
                f.scan(text, 0, (s, e) -> {
                    filtered.add(s);
                    filtered.add(e);
                });
                f.scanUnfiltered(text, 0, (s, e) -> {
                    full.add(s);
                    full.add(e);
                });
            }
            return List.of(filtered, full);
        });
    }

    /**
     * The shortest piece of a value of {@code length} chars that is redacted on its own: half the
     * value, rounded up, but at least {@value #FRAGMENT_FLOOR} and at most {@value #FRAGMENT_LENGTH}.
     */
    public static int fragmentThreshold(int length) {
        return Math.max(FRAGMENT_FLOOR, Math.min(FRAGMENT_LENGTH, (length + 1) / 2));
    }

    private void wipeLocked() {
        for (byte[] v : values) {
            Arrays.fill(v, (byte) 0);
        }
        values.clear();
        if (automaton != null) {
            automaton.wipe();
        }
        automaton = null;
        if (fragments != null) {
            fragments.wipe();
        }
        fragments = null;
    }

    private void rebuild() {
        if (automaton != null) {
            automaton.wipe();
        }
        List<char[]> variants = new ArrayList<>();
        List<Boolean> base64 = new ArrayList<>();
        for (byte[] v : values) {
            variants(v, variants, base64);
        }
        automaton = variants.isEmpty() ? null : new SecretAutomaton(variants, base64);
        for (char[] c : variants) {
            Arrays.fill(c, '\0');
        }
        if (fragments != null) {
            fragments.wipe();
        }
        List<char[]> forms = new ArrayList<>();
        List<Integer> thresholds = new ArrayList<>();
        for (byte[] v : values) {
            fragmentForms(v, forms, thresholds);
        }
        fragments = forms.isEmpty() ? null : new FragmentAutomaton(forms, thresholds);
        for (char[] c : forms) {
            Arrays.fill(c, '\0');
        }
    }

    /**
     * The forms whose pieces are matched, case-folded, each with its threshold: the text, its rot13,
     * their reverses, lower-case hex and the three base64 alignments, all of the value's prefix.
     */
    static void fragmentForms(byte[] v, List<char[]> out, List<Integer> thresholds) {
        char[] raw = utf8(v);
        int length = raw != null ? raw.length : v.length;
        int t = fragmentThreshold(length);
        if (raw != null) {
            char[] text = new char[Math.min(raw.length, FRAGMENT_CHARS)];
            for (int i = 0; i < text.length; i++) {
                text[i] = FragmentAutomaton.fold(raw[i]);
            }
            // URL-encoded (percent and form): its pieces count as well, so the whole form is found too.
            char[] prefix = Arrays.copyOf(raw, text.length);
            char[] pct = urlEncode(prefix, false, true);
            if (pct != null) {
                char[] form = urlEncode(prefix, true, true);
                if (form != null && !Arrays.equals(form, pct)) {
                    addForm(out, thresholds, folded(form), t);
                } else if (form != null) {
                    Arrays.fill(form, '\0');
                }
                addForm(out, thresholds, folded(pct), t);
            }
            // rot47 (tr '!-~' 'P-~!-O') moves every printable ASCII char, so it is taken of the raw text.
            char[] r47 = folded(rot47(prefix));
            addForm(out, thresholds, reversed(r47), t);
            addForm(out, thresholds, r47, t);
            Arrays.fill(prefix, '\0');
            Arrays.fill(raw, '\0');
            char[] rot = rot13(text);
            boolean hasLetters = !Arrays.equals(rot, text);
            addForm(out, thresholds, reversed(text), t);
            if (hasLetters) {
                addForm(out, thresholds, reversed(rot), t);
                addForm(out, thresholds, rot, t);
            } else {
                Arrays.fill(rot, '\0');
            }
            addForm(out, thresholds, text, t);
        }
        byte[] prefix = Arrays.copyOf(v, Math.min(v.length, FRAGMENT_CHARS));
        addForm(out, thresholds, hex(prefix, "0123456789abcdef"), 2 * t);
        for (int offset = 0; offset < 3; offset++) {
            char[] core = base64Core(prefix, offset, Base64.getEncoder().withoutPadding());
            for (int i = 0; i < core.length; i++) {
                core[i] = FragmentAutomaton.fold(core[i]);
            }
            // A piece of t bytes encoded on its own has 4t/3 (rounded down) chars that hold only its bits.
            addForm(out, thresholds, core, 4 * t / 3);
        }
        Arrays.fill(prefix, (byte) 0);
    }

    private static void addForm(List<char[]> out, List<Integer> thresholds, char[] whole, int threshold) {
        char[] form = whole;
        if (form.length > FragmentAutomaton.MAX_FORM) {
            // An encoding that grows the prefix a lot (percent-encoded non-ASCII text) is cut, not refused.
            form = Arrays.copyOf(whole, FragmentAutomaton.MAX_FORM);
            Arrays.fill(whole, '\0');
        }
        if (form.length >= threshold) {
            out.add(form);
            thresholds.add(threshold);
        } else {
            Arrays.fill(form, '\0');
        }
    }

    private static char[] folded(char[] s) {
        for (int i = 0; i < s.length; i++) {
            s[i] = FragmentAutomaton.fold(s[i]);
        }
        return s;
    }

    private static char[] rot47(char[] raw) {
        char[] out = new char[raw.length];
        for (int i = 0; i < raw.length; i++) {
            char c = raw[i];
            out[i] = c >= '!' && c <= '~' ? (char) ('!' + (c - '!' + 47) % 94) : c;
        }
        return out;
    }

    private static char[] rot13(char[] folded) {
        char[] out = new char[folded.length];
        for (int i = 0; i < folded.length; i++) {
            char c = folded[i];
            out[i] = c >= 'a' && c <= 'z' ? (char) ('a' + (c - 'a' + 13) % 26) : c;
        }
        return out;
    }

    private static char[] reversed(char[] s) {
        char[] out = new char[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[s.length - 1 - i];
        }
        return out;
    }

    /**
     * The whole-value forms. Those the piece automaton already finds whole (raw, URL-encoded, hex and
     * the longer base64 cores of a value within its indexed prefix) are left out, so that for the
     * usual vault values this automaton holds only JSON-escaped forms, or nothing at all: one pass.
     */
    static void variants(byte[] v, List<char[]> out, List<Boolean> base64) {
        char[] raw = utf8(v);
        boolean pieces = v.length <= FRAGMENT_CHARS;
        int t = fragmentThreshold(raw != null ? raw.length : v.length);
        if (raw != null) {
            if (!pieces) {
                add(out, base64, raw, false);
            }
            // Audit details and exports are JSON: a value with a quote, backslash or control char
            // appears there escaped (RFC 8259 section 7).
            add(out, base64, jsonEscape(raw), false);
            char[] pct = pieces ? null : urlEncode(raw, false, true);
            if (pct != null) {
                add(out, base64, pct, false);
                add(out, base64, urlEncode(raw, false, false), false);
                char[] form = urlEncode(raw, true, true);
                if (form != null && !Arrays.equals(form, pct)) {
                    add(out, base64, form, false);
                }
            }
            if (pieces) {
                Arrays.fill(raw, '\0');
            }
        }
        if (!pieces) {
            add(out, base64, hex(v, "0123456789abcdef"), false);
            add(out, base64, hex(v, "0123456789ABCDEF"), false);
        }
        for (int offset = 0; offset < 3; offset++) {
            char[] std = base64Core(v, offset, Base64.getEncoder().withoutPadding());
            char[] url = base64Core(v, offset, Base64.getUrlEncoder().withoutPadding());
            if (std.length >= MIN_LENGTH && !(pieces && std.length >= 4 * t / 3)) {
                add(out, base64, std, true);
                if (!Arrays.equals(std, url)) {
                    add(out, base64, url, true);
                } else {
                    Arrays.fill(url, '\0');
                }
            } else {
                Arrays.fill(std, '\0');
                Arrays.fill(url, '\0');
            }
        }
    }

    private static void add(List<char[]> out, List<Boolean> base64, char @org.jspecify.annotations.Nullable [] v,
            boolean isBase64) {
        if (v != null) {
            out.add(v);
            base64.add(isBase64);
        }
    }

    /**
     * The base64 chars that depend only on the value when it sits {@code offset} bytes into a longer
     * blob: the chars sharing bits with neighbouring bytes differ from blob to blob, so they are left
     * out and the redaction is widened over them afterwards.
     */
    static char[] base64Core(byte[] v, int offset, Base64.Encoder encoder) {
        byte[] padded = new byte[offset + v.length];
        System.arraycopy(v, 0, padded, offset, v.length);
        byte[] enc = encoder.encode(padded);
        Arrays.fill(padded, (byte) 0);
        int firstBit = 8 * offset;
        int endBit = 8 * (offset + v.length);
        int first = (firstBit + 5) / 6;
        int last = endBit / 6; // exclusive: chars whose 6 bits all lie inside the value
        char[] core = new char[Math.max(0, last - first)];
        for (int i = 0; i < core.length; i++) {
            core[i] = (char) enc[first + i];
        }
        Arrays.fill(enc, (byte) 0);
        return core;
    }

    private static char[] hex(byte[] v, String digits) {
        char[] out = new char[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            out[2 * i] = digits.charAt((v[i] >> 4) & 0xf);
            out[2 * i + 1] = digits.charAt(v[i] & 0xf);
        }
        return out;
    }

    private static char @org.jspecify.annotations.Nullable [] utf8(byte[] v) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(v));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            return null; // binary values still match as hex and base64
        }
    }

    /** The RFC 8259 escaped form, or null when escaping changes nothing. */
    private static char @org.jspecify.annotations.Nullable [] jsonEscape(char[] raw) {
        char[] out = new char[raw.length * 6];
        int n = 0;
        boolean changed = false;
        for (char c : raw) {
            if (c == '"' || c == '\\') {
                out[n++] = '\\';
                out[n++] = c;
                changed = true;
            } else if (c == '\n' || c == '\r' || c == '\t') {
                out[n++] = '\\';
                out[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
                changed = true;
            } else if (c < 0x20) {
                String hex = "0123456789abcdef";
                out[n++] = '\\';
                out[n++] = 'u';
                out[n++] = '0';
                out[n++] = '0';
                out[n++] = hex.charAt(c >> 4);
                out[n++] = hex.charAt(c & 0xf);
                changed = true;
            } else {
                out[n++] = c;
            }
        }
        char[] result = changed ? Arrays.copyOf(out, n) : null;
        Arrays.fill(out, '\0');
        return result;
    }

    /** RFC 3986 percent-encoding of everything outside the unreserved set; null if nothing changes. */
    private static char @org.jspecify.annotations.Nullable [] urlEncode(char[] raw, boolean form, boolean upper) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(raw));
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        char[] out = new char[bb.remaining() * 3];
        int n = 0;
        boolean changed = false;
        while (bb.hasRemaining()) {
            int b = bb.get() & 0xff;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '~') {
                out[n++] = (char) b;
            } else if (form && b == ' ') {
                out[n++] = '+';
                changed = true;
            } else {
                out[n++] = '%';
                out[n++] = digits.charAt(b >> 4);
                out[n++] = digits.charAt(b & 0xf);
                changed = true;
            }
        }
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        char[] result = changed ? Arrays.copyOf(out, n) : null;
        Arrays.fill(out, '\0');
        return result;
    }
}
