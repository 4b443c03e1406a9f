package dev.airlock.redact;

import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The configured set of pattern detectors and the single pass that drives them: one keyword
 * automaton over the text, then each rule's regex only inside the windows its keywords opened.
 */
final class Detectors {
    interface SpanSink {
        void span(int start, int end, String type, int rank, @Nullable String value);
    }

    private static final String KEY_BLOCK_KEYWORD = "-----BEGIN ";
    private static final int RANK_CUSTOM = 15;
    private static final int MAX_WINDOW = 4096;
    private static final int GENERIC = -2;
    private static final int PAIR_ID = -3;

    private final List<Rule> rules;
    private final List<Rule> fullTextRules;
    private final KeywordIndex index;
    private final int[] keywordRule;
    private final String[] keywordText;
    private final RedactionConfig.Pii pii;
    /** Longest text a single-line detector can match; streams hold back at least this much of a line. */
    final int maxMatchLength;

    Detectors(RedactionConfig config) {
        pii = config.pii();
        List<Rule> all = new ArrayList<>(Catalog.credentials());
        if (pii.emails()) {
            all.add(Catalog.email());
        }
        List<Rule> full = new ArrayList<>();
        for (int i = 0; i < config.patterns().size(); i++) {
            Rule custom = custom(config.patterns().get(i), i);
            (custom.keywords.isEmpty() ? full : all).add(custom);
        }
        rules = List.copyOf(all);
        fullTextRules = List.copyOf(full);
        List<String> words = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        int max = 0;
        for (int r = 0; r < rules.size(); r++) {
            max = Math.max(max, rules.get(r).maxLength + rules.get(r).before);
            for (String k : rules.get(r).keywords) {
                words.add(k);
                owner.add(r);
            }
        }
        maxMatchLength = max;
        words.add(KEY_BLOCK_KEYWORD);
        owner.add(-1);
        for (String k : Catalog.GENERIC_KEYWORDS) {
            words.add(k);
            owner.add(GENERIC);
        }
        for (String k : PairedKeys.ID_KEYWORDS) {
            words.add(k);
            owner.add(PAIR_ID);
        }
        index = new KeywordIndex(words);
        keywordText = words.toArray(new String[0]);
        keywordRule = owner.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Rule custom(RedactionConfig.CustomPattern p, int position) {
        String where = "redaction.patterns[" + position + "]";
        if (!validName(p.name())) {
            throw new RedactionException(where + ": name must be 1-48 chars of a-z, 0-9 and '-'; "
                    + "it is shown in [REDACTED:name] replacements");
        }
        if (p.regex() == null || p.regex().isEmpty()) {
            throw new RedactionException(where + " (" + p.name() + "): regex is missing");
        }
        for (String k : p.keywords()) {
            if (k.isEmpty() || !k.chars().allMatch(c -> c < 128)) {
                throw new RedactionException(where + " (" + p.name() + "): keywords must be non-empty ASCII");
            }
        }
        try {
            return new Rule(p.name(), List.copyOf(p.keywords()), false, p.regex(), Rule.FIRST_GROUP, 256, 4096,
                    false, false, (t, ms, vs, ve, v) -> true, RANK_CUSTOM, "", 0, false);
        } catch (PatternSyntaxException e) {
            // The description only: the pattern itself may embed a literal the user wants hidden.
            throw new RedactionException(where + " (" + p.name() + "): regex is not valid RE2 syntax ("
                    + e.getDescription() + "); lookaround and backreferences are not supported");
        }
    }

    private static boolean validName(@Nullable String name) {
        if (name == null || name.isEmpty() || name.length() > 48 || name.charAt(0) == '-') {
            return false;
        }
        return name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }

    /**
     * Runs every enabled detector over {@code text}. {@code idsSeen} are the {@link PairedKeys}
     * provider flags of key ids seen before this text (earlier in a stream); returns them with the
     * ones found here added.
     */
    int find(String text, char[] chars, int idsSeen, SpanSink outer) {
        int[] ids = {idsSeen};
        SpanSink sink = (s, e, type, rank, v) -> {
            if (type.equals("aws-access-key")) {
                ids[0] |= PairedKeys.AWS;
            }
            outer.span(s, e, type, rank, v);
        };
        int n = text.length();
        int rc = rules.size();
        int[] winStart = new int[rc];
        int[] winEnd = new int[rc];
        Arrays.fill(winEnd, -1);
        int[] lastBlock = {-1};
        int[] lastEnd = new int[rc];
        int[] genericEnd = {0};
        index.scan(chars, (k, start) -> {
            int r = keywordRule[k];
            if (r == PAIR_ID) {
                ids[0] |= PairedKeys.idAt(text, start, keywordText[k]);
                return;
            }
            if (r == GENERIC) {
                if (start >= genericEnd[0]) {
                    genericEnd[0] = Math.max(genericEnd[0], GenericAssignment.match(text, start, keywordText[k].length(), sink));
                }
                return;
            }
            if (r < 0) {
                if (start >= lastBlock[0] && text.startsWith(KEY_BLOCK_KEYWORD, start)) {
                    lastBlock[0] = start + 1;
                    Scanners.privateKeys(text, start, (s, e, type, rank, v) -> {
                        lastBlock[0] = e;
                        sink.span(s, e, type, rank, v);
                    });
                }
                return;
            }
            Rule rule = rules.get(r);
            if (rule.caseSensitive && !text.startsWith(keywordText[k], start)) {
                return;
            }
            if (rule.anchored) {
                int a = rule.anchor(text, start);
                if (a < lastEnd[r] || start - a < rule.minBack || !rule.precheck.mayMatch(text, a, start)) {
                    return; // inside the previous match of this rule
                }
                int end = rule.runAnchored(text, a, (int) Math.min(n, (long) start + rule.maxLength), sink);
                if (end > 0) {
                    lastEnd[r] = end;
                }
                return;
            }
            int ws = Math.max(0, start - rule.before);
            int we = (int) Math.min(n, (long) start + rule.maxLength);
            // Windows merge while they overlap, up to a size where RE2/J still picks its fast
            // bounded backtracker; past that a new (overlapping) window starts.
            if (winEnd[r] >= 0 && ws <= winEnd[r] && we - winStart[r] <= Math.max(MAX_WINDOW, 2 * (rule.maxLength + rule.before))) {
                winStart[r] = Math.min(winStart[r], ws);
                winEnd[r] = Math.max(winEnd[r], we);
            } else {
                if (winEnd[r] >= 0) {
                    rule.run(text, winStart[r], winEnd[r], sink);
                }
                winStart[r] = ws;
                winEnd[r] = we;
            }
        });
        for (int r = 0; r < rc; r++) {
            if (winEnd[r] >= 0) {
                rules.get(r).run(text, winStart[r], winEnd[r], sink);
            }
        }
        for (Rule rule : fullTextRules) {
            rule.run(text, 0, n, sink);
        }
        if (pii.creditCards()) {
            Scanners.cards(text, chars, sink);
        }
        if (pii.ipAddresses()) {
            Scanners.ipv4(text, sink);
            Scanners.ipv6(text, sink);
        }
        if (pii.ibans()) {
            Scanners.ibans(text, chars, sink);
        }
        if (ids[0] != 0) {
            PairedKeys.secrets(chars, ids[0], sink);
        }
        return ids[0];
    }

    /** The detector names this configuration can report, for documentation and CLI help. */
    List<String> types() {
        List<String> t = new ArrayList<>();
        for (Rule r : rules) {
            if (!t.contains(r.type)) {
                t.add(r.type);
            }
        }
        fullTextRules.forEach(r -> t.add(r.type));
        t.add(GenericAssignment.TYPE);
        t.add("private-key");
        t.add("pgp-private-key");
        if (pii.creditCards()) {
            t.add("credit-card");
        }
        if (pii.ipAddresses()) {
            t.add("ip-address");
        }
        if (pii.ibans()) {
            t.add("iban");
        }
        t.add(PairedKeys.AWS_TYPE);
        t.add(PairedKeys.ALIBABA_TYPE);
        t.add(PairedKeys.TENCENT_TYPE);
        t.add("known-secret");
        return t.stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
