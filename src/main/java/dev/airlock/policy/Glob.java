package dev.airlock.policy;

import com.google.re2j.Pattern;

/**
 * Glob patterns for command names, arguments, paths and domains, compiled to RE2/J (linear time, so a
 * hostile pattern or input cannot stall a decision). {@code *} stays within a path segment, {@code **}
 * crosses segments, {@code ?} is one character, {@code [...]} a class, {@code {a,b}} alternatives.
 */
final class Glob {
    private final String source;
    private final Pattern pattern;

    private Glob(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** {@code slashAware}: whether {@code *} stops at {@code /} (paths) or not (arguments, names). */
    static Glob compile(String glob, boolean slashAware) {
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
            return new Glob(glob, Pattern.compile(re.toString()));
        } catch (RuntimeException e) {
            throw new PolicyException("Invalid pattern '" + glob + "': " + e.getMessage(), e);
        }
    }

    boolean matches(String s) {
        return pattern.matcher(s).matches();
    }

    @Override
    public String toString() {
        return source;
    }
}
