package dev.airlock.policy;

import java.nio.file.Path;

/**
 * A path pattern: absolute ({@code /etc/**}), home-relative ({@code ~/.ssh}) or a name anywhere
 * ({@code .env*}, {@code .git/hooks}). A path matches when it or any directory above it matches, so a
 * pattern naming a directory covers everything inside it.
 */
final class PathGlob {
    private enum Kind { ABSOLUTE, HOME, ANYWHERE }

    private final String source;
    private final Kind kind;
    private final Glob glob;

    private PathGlob(String source, Kind kind, Glob glob) {
        this.source = source;
        this.kind = kind;
        this.glob = glob;
    }

    static PathGlob compile(String pattern) {
        String p = pattern.strip();
        if (p.isEmpty()) {
            throw new PolicyException("An empty path pattern matches nothing; remove it.");
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("/")) {
            return new PathGlob(pattern, Kind.ABSOLUTE, Glob.compile(p, true));
        }
        if (p.equals("~") || p.startsWith("~/")) {
            return new PathGlob(pattern, Kind.HOME, Glob.compile(p, true));
        }
        return new PathGlob(pattern, Kind.ANYWHERE, Glob.compile("**/" + p, true));
    }

    /** {@code path} must be absolute and resolved. */
    boolean matches(Path path, Path home) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (matchesExactly(p, home)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesExactly(Path p, Path home) {
        return switch (kind) {
            case ABSOLUTE, ANYWHERE -> glob.matches(p.toString());
            case HOME -> {
                if (!p.startsWith(home)) {
                    yield false;
                }
                String rel = home.relativize(p).toString();
                yield glob.matches(rel.isEmpty() ? "~" : "~/" + rel);
            }
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
