package dev.airlock.policy;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Glob patterns for command names, arguments, paths and domains, compiled to RE2/J (linear time, so a
 * hostile pattern or input cannot stall a decision). {@code *} stays within a path segment, {@code **}
 * crosses segments, {@code ?} is one character, {@code [...]} a class, {@code {a,b}} alternatives.
 */
final class Glob {
    /** Brace alternatives beyond this many are matched by the regex rather than a set. */
    private static final int MAX_LITERALS = 512;

    private final String source;
    private final @Nullable Pattern pattern;
    /** Fast paths, tried before the regex: most rule patterns are literals, prefixes or suffixes. */
    private final @Nullable Set<String> literals;
    private final List<String> prefixes;
    private final List<String> suffixes;
    private final boolean slashAwareStar;

    private Glob(String source, @Nullable Pattern pattern, @Nullable Set<String> literals, List<String> prefixes,
            List<String> suffixes, boolean slashAwareStar) {
        this.source = source;
        this.slashAwareStar = slashAwareStar;
        this.pattern = pattern;
        this.literals = literals;
        this.prefixes = prefixes;
        this.suffixes = suffixes;
    }

    /**
     * Splits a pattern into fast paths when every brace alternative is a literal, {@code literal*} or
     * {@code *literal}; returns null when some alternative needs the regex.
     */
    private static @Nullable Glob fast(String glob, boolean slashAware) {
        List<Word> alts = Words.expand(new Word(glob, true, false, true), MAX_LITERALS);
        // a '[' without any ']' after it is a literal character (see regex()): the shipped read-only
        // list names the commands [ and [[, and should not send every command name through the regex
        boolean charClass = glob.indexOf('[') >= 0 && glob.indexOf(']', glob.indexOf('[')) >= 0;
        if (alts.size() > MAX_LITERALS || glob.indexOf('\\') >= 0 || charClass || glob.indexOf('?') >= 0) {
            return null;
        }
        Set<String> lits = new HashSet<>();
        List<String> pre = new ArrayList<>();
        List<String> suf = new ArrayList<>();
        for (Word w : alts) {
            String a = w.text();
            if (a.indexOf('{') >= 0 || a.indexOf('}') >= 0 || a.contains("**")) {
                return null;
            }
            int star = a.indexOf('*');
            if (star < 0) {
                lits.add(a);
            } else if (star == a.length() - 1 && a.indexOf('*') == star) {
                String p = a.substring(0, star);
                if (slashAware && p.indexOf('/') >= 0) {
                    return null;
                }
                pre.add(p);
            } else if (star == 0 && a.indexOf('*', 1) < 0) {
                suf.add(a.substring(1));
            } else {
                return null;
            }
        }
        return new Glob(glob, null, lits, List.copyOf(pre), List.copyOf(suf), slashAware);
    }

    /** {@code slashAware}: whether {@code *} stops at {@code /} (paths) or not (arguments, names). */
    static Glob compile(String glob, boolean slashAware) {
        Glob f = fast(glob, slashAware);
        if (f != null) {
            validate(glob);
            return f;
        }
        return regex(glob, slashAware);
    }

    private static void validate(String glob) {
        int depth = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
        }
        if (depth != 0) {
            throw new PolicyException("Unbalanced braces in the pattern '" + glob + "'. Close every '{'.");
        }
    }

    private static Glob regex(String glob, boolean slashAware) {
        StringBuilder re = new StringBuilder("^");
        int depth = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append(slashAware ? "[^/]*" : ".*");
                    }
                }
                case '?' -> re.append(slashAware ? "[^/]" : ".");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String cls = glob.substring(i + 1, close);
                        if (cls.startsWith("!")) {
                            cls = "^" + cls.substring(1);
                        }
                        re.append('[').append(cls.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                case '{' -> {
                    depth++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (depth > 0) {
                        depth--;
                        re.append(')');
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(depth > 0 ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) {
            throw new PolicyException("Unbalanced braces in the pattern '" + glob + "'. Close every '{'.");
        }
        re.append('$');
        try {
            return new Glob(glob, Pattern.compile(re.toString()), null, List.of(), List.of(), slashAware);
        } catch (RuntimeException e) {
            throw new PolicyException("Invalid pattern '" + glob + "': " + e.getMessage(), e);
        }
    }

    boolean matches(String s) {
        if (pattern != null) {
            return pattern.matcher(s).matches();
        }
        if (literals != null && literals.contains(s)) {
            return true;
        }
        for (String p : prefixes) {
            // in a path-aware prefix such as ".env*" the star must not cross a '/'
            if (s.startsWith(p) && (s.indexOf('/', p.length()) < 0 || !slashAwareStar)) {
                return true;
            }
        }
        for (String x : suffixes) {
            if (s.endsWith(x) && (!slashAwareStar || s.lastIndexOf('/', s.length() - x.length() - 1) < 0)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
