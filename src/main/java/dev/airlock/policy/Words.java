package dev.airlock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Quote removal and expansion of shell words, as bash does it, for the cases the analysis can know. */
final class Words {
    /** Brace expansion beyond this many words is not worth the memory; the word stays as written. */
    private static final int MAX_BRACE_WORDS = 64;
    private static final Pattern BRACE_CHARS = Pattern.compile("[{},]+|.*[{},].*");

    private Words() {
    }

    static Word resolve(Walker w, SyntaxNode n, Walker.Scope scope) {
        String t = n.type();
        String raw = w.text(n);
        switch (t) {
            case "word", "command_name" -> {
                if (t.equals("command_name") && n.namedChildCount() == 1) {
                    return resolve(w, n.namedChild(0), scope);
                }
                return unquoted(raw, w, scope, true);
            }
            case "number", "variable_name", "heredoc_start" -> {
                return Word.lit(raw);
            }
            case "raw_string" -> {
                return Word.lit(raw.length() >= 2 ? raw.substring(1, raw.length() - 1) : raw);
            }
            case "ansi_c_string" -> {
                String body = raw.length() >= 3 ? raw.substring(2, raw.length() - 1) : "";
                return Word.lit(decodeAnsiC(body));
            }
            case "string", "translated_string" -> {
                return doubleQuoted(w, n, scope);
            }
            case "simple_expansion", "expansion" -> {
                String known = knownVariable(raw, w, scope);
                return known != null ? Word.lit(known) : Word.opaque(raw);
            }
            case "concatenation" -> {
                StringBuilder sb = new StringBuilder();
                boolean literal = true;
                boolean glob = false;
                boolean brace = false;
                int c = n.childCount();
                for (int i = 0; i < c; i++) {
                    SyntaxNode part = n.child(i);
                    Word pw = part.type().equals("word")
                            ? unquoted(w.text(part), w, scope, i == 0)
                            : resolve(w, part, scope);
                    literal &= pw.literal();
                    glob |= pw.glob();
                    brace |= pw.brace() || (part.type().equals("word") && BRACE_CHARS.matcher(w.text(part)).matches());
                    sb.append(pw.text());
                }
                return literal ? new Word(sb.toString(), true, glob, brace) : Word.opaque(raw);
            }
            default -> {
                return Word.opaque(raw);
            }
        }
    }

    /** An unquoted word: backslashes escape the next character, {@code ~} expands at the start. */
    private static Word unquoted(String raw, Walker w, Walker.Scope scope, boolean atStart) {
        StringBuilder sb = new StringBuilder(raw.length());
        boolean glob = false;
        boolean brace = false;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                if (next != '\n') {
                    sb.append(next);
                }
                continue;
            }
            if (ch == '*' || ch == '?' || ch == '[') {
                glob = true;
            } else if (ch == '{' || ch == '}') {
                brace = true;
            } else if (ch == '$') {
                return Word.opaque(raw);
            }
            sb.append(ch);
        }
        String s = sb.toString();
        if (atStart && raw.startsWith("~")) {
            if (s.equals("~") || s.startsWith("~/")) {
                s = w.ctx().home() + s.substring(1);
            } else if ((s.equals("~+") || s.startsWith("~+/")) && scope.cwd != null) {
                s = scope.cwd + s.substring(2); // ~+ is $PWD
            } else {
                // ~user or ~+: another user's home, not knowable here
                return Word.opaque(raw);
            }
        }
        return new Word(s, true, glob, brace);
    }

    private static Word doubleQuoted(Walker w, SyntaxNode n, Walker.Scope scope) {
        StringBuilder sb = new StringBuilder();
        int c = n.childCount();
        for (int i = 0; i < c; i++) {
            SyntaxNode part = n.child(i);
            String t = part.type();
            if (!part.named()) {
                continue; // the quotes themselves, and the $ of $"..."
            }
            switch (t) {
                case "string_content" -> sb.append(unescapeDoubleQuoted(w.text(part)));
                case "string" -> {
                    Word inner = doubleQuoted(w, part, scope);
                    if (!inner.literal()) {
                        return Word.opaque(w.text(n));
                    }
                    sb.append(inner.text());
                }
                case "simple_expansion", "expansion" -> {
                    String known = knownVariable(w.text(part), w, scope);
                    if (known == null) {
                        return Word.opaque(w.text(n));
                    }
                    sb.append(known);
                }
                default -> {
                    return Word.opaque(w.text(n));
                }
            }
        }
        return Word.lit(sb.toString());
    }

    private static String unescapeDoubleQuoted(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                char next = s.charAt(++i);
                if (next != '\n') {
                    sb.append(next);
                }
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** $HOME and $PWD are known; every other variable is not. */
    private static String knownVariable(String raw, Walker w, Walker.Scope scope) {
        String name = raw.startsWith("${") && raw.endsWith("}") ? raw.substring(2, raw.length() - 1)
                : raw.startsWith("$") ? raw.substring(1) : raw;
        return switch (name) {
            case "HOME" -> w.ctx().home().toString();
            case "PWD" -> scope.cwd == null ? null : scope.cwd.toString();
            default -> null;
        };
    }

    /** Decodes the escapes of a bash {@code $'...'} string (and printf formats). */
    static String decodeAnsiC(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 >= s.length()) {
                sb.append(ch);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'a' -> sb.append('\007');
                case 'b' -> sb.append('\b');
                case 'e', 'E' -> sb.append('\033');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\013');
                case 'x' -> i = appendCode(s, i, 16, 2, sb);
                case 'u' -> i = appendCode(s, i, 16, 4, sb);
                case 'U' -> i = appendCode(s, i, 16, 8, sb);
                case '0', '1', '2', '3', '4', '5', '6', '7' -> i = appendCode(s, i - 1, 8, 3, sb);
                case 'c' -> {
                    if (i + 1 < s.length()) {
                        sb.append((char) (s.charAt(++i) & 0x1f));
                    }
                }
                default -> sb.append(e); // \\ \' \" \? and unknown escapes
            }
        }
        return sb.toString();
    }

    /** Reads up to {@code max} digits after index {@code at}; returns the index of the last one. */
    private static int appendCode(String s, int at, int radix, int max, StringBuilder sb) {
        int end = at + 1;
        while (end < s.length() && end - at - 1 < max && Character.digit(s.charAt(end), radix) >= 0) {
            end++;
        }
        if (end == at + 1) {
            sb.append('\\').append(s.charAt(at));
            return at;
        }
        sb.appendCodePoint(Integer.parseInt(s.substring(at + 1, end), radix));
        return end - 1;
    }

    /** Brace expansion ({@code r{m,} -> rm r}) of a literal word with unquoted braces. */
    static List<Word> expand(Word w) {
        return expand(w, MAX_BRACE_WORDS);
    }

    static List<Word> expand(Word w, int max) {
        if (!w.literal() || !w.brace()) {
            return List.of(w);
        }
        List<String> acc = new ArrayList<>();
        if (!braces(w.text(), acc, max) || acc.size() > max) {
            return List.of(w);
        }
        List<Word> words = new ArrayList<>(acc.size());
        for (String s : acc) {
            words.add(new Word(s, true, w.glob(), false));
        }
        return words;
    }

    /** Returns false when the word holds no expandable {@code {a,b}}. */
    private static boolean braces(String s, List<String> acc, int max) {
        int open = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                int depth = 0;
                int commas = 0;
                int close = -1;
                for (int j = i; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}' && --depth == 0) {
                        close = j;
                        break;
                    } else if (c == ',' && depth == 1) {
                        commas++;
                    }
                }
                if (close > 0 && commas > 0) {
                    open = i;
                    String pre = s.substring(0, open);
                    String post = s.substring(close + 1);
                    for (String alt : splitTop(s.substring(open + 1, close))) {
                        String candidate = pre + alt + post;
                        List<String> sub = new ArrayList<>();
                        if (braces(candidate, sub, max)) {
                            acc.addAll(sub);
                        } else {
                            acc.add(candidate);
                        }
                        if (acc.size() > max) {
                            return true;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> splitTop(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
